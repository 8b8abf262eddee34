import { matmulDims, type DataArray, type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';
import { wasmMatmulF32 } from '../wasm/matmul-plan.js';

/** Packs B (or Bᵀ when `transposed`) of one batch into a contiguous row-major [K, N] double array. */
function packB(b: DataArray, offset: number, k: number, n: number, transposed: boolean, dst: Float64Array): void {
  if (transposed) {
    // stored as [N, K]
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) dst[p * n + j] = b[offset + j * k + p] as number;
  } else {
    for (let i = 0; i < k * n; i++) dst[i] = b[offset + i] as number;
  }
}

/**
 * Batched matrix product: a [Ba, M, K] (or [Ba, K, M] with transposeA) times b [Bb, K, N] (or
 * [Bb, N, K] with transposeB) → [max(Ba, Bb), M, N]; a batch of size 1 broadcasts. float32 runs
 * through the WebAssembly SIMD gemm (`wasm/matmul-plan.ts`: packed panels, register-tiled
 * micro-kernel, float32 accumulation, split over the worker threads) where available; otherwise
 * (and for float64/int32) loops run i-k-j over a packed copy of B, accumulating in double
 * (floats) or wrapping int32.
 */
export const matmulKernel: KernelConfig = defineKernel('matmul', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'matmul');
  const [a, b] = inputs;
  if (a === undefined || b === undefined) throw new TypeError('matmul: expected two inputs');
  const dims = matmulDims(a, b, attrs);
  const { batch, ba, bb, m, k, n, transposeA, transposeB } = dims;
  const av = cpu.dataOf(a);
  const bv = cpu.dataOf(b);
  if (a.dtype === 'float32') {
    const out32 = cpu.alloc('float32', batch * m * n) as Float32Array;
    if (wasmMatmulF32(av as Float32Array, bv as Float32Array, out32, dims)) return cpu.makeOutput(out32, [batch, m, n], 'float32');
  }
  const out = cpu.alloc(a.dtype, batch * m * n);
  const integer = a.dtype === 'int32';
  const bPacked = new Float64Array(k * n);
  const acc = new Float64Array(n);
  let packedBatch = -1;
  for (let t = 0; t < batch; t++) {
    const aOff = (ba === 1 ? 0 : t) * m * k;
    const bBatch = bb === 1 ? 0 : t;
    if (bBatch !== packedBatch) {
      packB(bv, bBatch * k * n, k, n, transposeB, bPacked);
      packedBatch = bBatch;
    }
    const oOff = t * m * n;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = av[transposeA ? aOff + p * m + i : aOff + i * k + p] as number;
        const row = p * n;
        if (integer) for (let j = 0; j < n; j++) acc[j] = ((acc[j] as number) + Math.imul(aip, bPacked[row + j] as number)) | 0;
        else for (let j = 0; j < n; j++) acc[j] = (acc[j] as number) + aip * (bPacked[row + j] as number);
      }
      for (let j = 0; j < n; j++) out[oOff + i * n + j] = acc[j] as number;
    }
  }
  return cpu.makeOutput(out, [batch, m, n], a.dtype);
});
