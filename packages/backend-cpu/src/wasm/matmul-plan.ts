/**
 * Float32 batched matmul through the WASM kernels: copies A and B into the scratch heap, splits
 * the work into per-thread call lists (by batch, by column panels or by row tiles), runs them
 * (on the worker pool when one is running, else on this thread) and copies C out.
 */
import { FN_NAMES, align64, wasmRuntime, type WasmRuntime } from './runtime.js';
import { runCalls, threadCount, type Call } from './thread-pool.js';

/** The shape of a batched product (see the `matmul` kernel). */
export interface MatmulDims {
  batch: number;
  ba: number;
  bb: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

let fnIndex: { packA: number; packB: number; gemm: number } | undefined;
function fns(): { packA: number; packB: number; gemm: number } {
  return (fnIndex ??= { packA: FN_NAMES.indexOf('packA'), packB: FN_NAMES.indexOf('packB'), gemm: FN_NAMES.indexOf('gemm') });
}

/**
 * Computes `out = a @ b` (float32, shapes as in {@link MatmulDims}) with the WASM kernels.
 * Returns false (doing nothing) when WebAssembly SIMD is unavailable or the operands do not fit
 * the heap; the caller then runs its TypeScript loops.
 */
export function wasmMatmulF32(av: Float32Array, bv: Float32Array, out: Float32Array, d: MatmulDims): boolean {
  const rt = wasmRuntime();
  if (rt === null) return false;
  const { batch, ba, bb, m, k, n } = d;
  const { MR, NR } = rt.tile;
  if (batch === 0 || m === 0 || n === 0) return true;
  if (k === 0) {
    out.fill(0);
    return true;
  }
  const mp = Math.ceil(m / MR) * MR;
  const panels = Math.ceil(n / NR);
  const np = panels * NR;
  const threads = Math.max(1, Math.min(threadCount(), Math.ceil((batch * m * n * k) / (1 << 21))));
  const aBytes = align64(4 * ba * m * k);
  const bBytes = align64(4 * bb * k * n);
  const cBytes = align64(4 * batch * mp * np);
  const packBytes = align64(4 * k * (np + mp));
  let base: number;
  try {
    base = rt.reserve(aBytes + bBytes + cBytes + threads * packBytes);
  } catch {
    return false;
  }
  const aPtr = base;
  const bPtr = aPtr + aBytes;
  const cPtr = bPtr + bBytes;
  const packPtr = cPtr + cBytes;
  rt.f32.set(av, aPtr >> 2);
  rt.f32.set(bv, bPtr >> 2);
  runCalls(rt, planMatmul(d, threads, { aPtr, bPtr, cPtr, packPtr, packBytes }, MR, NR));
  copyOut(rt, out, cPtr, d, mp, np);
  return true;
}

/** Where the operands and each thread's packing buffers (A panels, then B panels) live. */
interface Layout {
  aPtr: number;
  bPtr: number;
  cPtr: number;
  packPtr: number;
  packBytes: number;
}

/** Per-thread call lists for the product (`threads` lists, some possibly empty). */
function planMatmul(d: MatmulDims, threads: number, L: Layout, MR: number, NR: number): Call[][] {
  const { packA, packB, gemm } = fns();
  const { batch, ba, bb, m, k, n, transposeA, transposeB } = d;
  const mp = Math.ceil(m / MR) * MR;
  const panels = Math.ceil(n / NR);
  const ldc = 4 * panels * NR;
  const [aRs, aCs] = transposeA ? [4, 4 * m] : [4 * k, 4];
  const [bRs, bCs] = transposeB ? [4, 4 * k] : [4 * n, 4];
  const lists: Call[][] = Array.from({ length: threads }, () => []);
  const aAt = (t: number): number => L.aPtr + (ba === 1 ? 0 : t) * 4 * m * k;
  const bAt = (t: number): number => L.bPtr + (bb === 1 ? 0 : t) * 4 * k * n;
  const cAt = (t: number): number => L.cPtr + t * mp * ldc;
  /** Thread `th` computes rows [r0, r1) × columns [c0, c1) of batches [t0, t1). */
  const part = (th: number, t0: number, t1: number, r0: number, r1: number, c0: number, c1: number): void => {
    const list = lists[th] as Call[];
    const aPack = L.packPtr + th * L.packBytes;
    const bPack = aPack + 4 * k * mp;
    const p0 = c0 / NR;
    const p1 = Math.ceil(c1 / NR);
    for (let t = t0; t < t1; t++) {
      if (t === t0 || ba !== 1) list.push([packA, aAt(t) + r0 * aRs, aRs, aCs, r1 - r0, k, aPack]);
      if (t === t0 || bb !== 1) list.push([packB, bAt(t) + c0 * bCs, bRs, bCs, k, c1 - c0, bPack]);
      list.push([gemm, aPack, bPack, cAt(t) + r0 * ldc + 4 * c0, ldc, r1 - r0, p1 - p0, k]);
    }
  };
  const share = (total: number, th: number): number => Math.floor((total * th) / threads);
  for (let th = 0; th < threads; th++) {
    if (batch >= threads) part(th, share(batch, th), share(batch, th + 1), 0, m, 0, n);
    else if (panels >= 2 * threads) part(th, 0, batch, 0, m, share(panels, th) * NR, Math.min(n, share(panels, th + 1) * NR));
    else {
      const tiles = mp / MR;
      const r0 = share(tiles, th) * MR;
      const r1 = Math.min(m, share(tiles, th + 1) * MR);
      if (r1 > r0) part(th, 0, batch, r0, r1, 0, n);
    }
  }
  return lists;
}

/** Copies the valid m×n block of each padded C batch into `out`. */
function copyOut(rt: WasmRuntime, out: Float32Array, cPtr: number, d: MatmulDims, mp: number, np: number): void {
  const { batch, m, n } = d;
  const f = rt.f32;
  for (let t = 0; t < batch; t++) {
    const src = (cPtr >> 2) + t * mp * np;
    if (np === n) out.set(f.subarray(src, src + m * n), t * m * n);
    else for (let i = 0; i < m; i++) out.set(f.subarray(src + i * np, src + i * np + n), (t * m + i) * n);
  }
}
