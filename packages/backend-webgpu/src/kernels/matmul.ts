import { matmulDims, type KernelConfig } from '@backstep/tensor';
import { defineKernel, expectInputs, gpuBackend } from './define.js';
import { shader, wgslType } from './wgsl.js';

/** Output tile of one workgroup (rows and columns) and the depth of one K step. */
const TILE = 32;
const TK = 16;
/** Each of the 8×8 threads accumulates a 4×4 block of the tile. */
const PER = 4;

/**
 * Tiled batched matmul: each workgroup stages a 32×16 block of A and a 16×32 block of B in
 * workgroup memory per K step and every thread accumulates a 4×4 block of outputs. Transposes and
 * batch broadcasting are strides in the parameters `[M, N, K, aBatch, aRow, aCol, bBatch, bRow, bCol]`,
 * so one pipeline per dtype serves every layout. Out-of-range tile entries load as 0 (no zero
 * skipping: 0·∞ inside the range still gives NaN).
 */
function matmulShader(t: 'f32' | 'i32'): string {
  const zero = t === 'f32' ? '0.0' : '0';
  const rc = (f: (r: number, c: number) => string): string[] =>
    Array.from({ length: PER * PER }, (_, q) => f(Math.floor(q / PER), q % PER));
  // the 4×4 block lives in named registers (acc_r_c) with every loop over it unrolled by the template
  const declare = rc((r, c) => `  var acc_${r}_${c} = ${zero};`).join('\n');
  const loadA = Array.from({ length: PER }, (_, r) => `      let a${r} = As[kk][ty + ${r}];`).join('\n');
  const loadB = Array.from({ length: PER }, (_, c) => `      let b${c} = Bs[kk][tx + ${c}];`).join('\n');
  const fma = rc((r, c) => `      acc_${r}_${c} += a${r} * b${c};`).join('\n');
  const store = rc((r, c) => `  if (row0 + ty + ${r} < M && col0 + tx + ${c} < N) { C[u32(cBase + (row0 + ty + ${r}) * N + col0 + tx + ${c})] = acc_${r}_${c}; }`).join('\n');
  return shader({
    inputs: [['A', t], ['B', t]],
    outputs: [['C', t]],
    helpers: [`var<workgroup> As: array<array<${t}, ${TILE}>, ${TK}>;`, `var<workgroup> Bs: array<array<${t}, ${TILE}>, ${TK}>;`],
    main: `
@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = prm[0]; let N = prm[1]; let K = prm[2];
  let aBase = i32(wid.z) * prm[3]; let bBase = i32(wid.z) * prm[6];
  let row0 = i32(wid.y) * ${TILE}; let col0 = i32(wid.x) * ${TILE};
  let ty = i32(lid.y) * ${PER}; let tx = i32(lid.x) * ${PER};
${declare}
  for (var k0 = 0; k0 < K; k0 += ${TK}) {
    for (var l = 0u; l < ${(TILE * TK) / 64}u; l++) {
      let idx = i32(li + l * 64u);
      let kk = idx / ${TILE};
      let mm = idx % ${TILE};
      let r = row0 + mm; let ka = k0 + kk; let c = col0 + mm;
      var av0 = ${zero};
      if (r < M && ka < K) { av0 = A[u32(aBase + r * prm[4] + ka * prm[5])]; }
      As[kk][mm] = av0;
      var bv0 = ${zero};
      if (c < N && ka < K) { bv0 = B[u32(bBase + ka * prm[7] + c * prm[8])]; }
      Bs[kk][mm] = bv0;
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${TK}; kk++) {
${loadA}
${loadB}
${fma}
    }
    workgroupBarrier();
  }
  let cBase = i32(wid.z) * M * N;
${store}
}`,
  });
}

/**
 * `matmul(a [Ba, M, K] (or [Ba, K, M] with transposeA), b [Bb, K, N] (or [Bb, N, K] with transposeB))`
 * → [max(Ba, Bb), M, N]; Ba and Bb must be equal or one of them 1. float32 and int32 (wrapping).
 */
export const matmulKernel: KernelConfig = defineKernel('matmul', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'matmul');
  const [a, b] = expectInputs('matmul', inputs, 2);
  const { batch, ba, bb, m, k, n, transposeA, transposeB } = matmulDims(a, b, attrs);
  if (batch > 65535) throw new RangeError(`matmul: batch ${batch} exceeds the webgpu backend's limit of 65535 (reshape into fewer batches)`);
  const out = gpu.makeOutput([batch, m, n], a.dtype);
  const t = wgslType(a.dtype);
  // element strides of A per batch (0: broadcast), per row i and per step of K; of B per batch, per step of K and per column j
  const meta = [
    m, n, k,
    ba === 1 ? 0 : m * k, transposeA ? 1 : k, transposeA ? m : 1,
    bb === 1 ? 0 : k * n, transposeB ? 1 : n, transposeB ? k : 1,
  ];
  const empty = batch === 0 || m === 0 || n === 0;
  gpu.dispatch({
    key: `matmul:${t}`,
    source: () => matmulShader(t),
    inputs: [gpu.get(a.dataId), gpu.get(b.dataId)],
    outputs: [out.data],
    meta,
    workgroups: empty ? [0, 1, 1] : [Math.ceil(n / TILE), Math.ceil(m / TILE), batch],
  });
  return out.info;
});
