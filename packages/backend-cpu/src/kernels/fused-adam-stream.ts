/**
 * The float32 Adam update through the WASM module's `adam_*` loops (`wasm/optim-fns.ts`):
 * the descriptor both paths write, and the path for host arrays (tensors outside the tensor heap,
 * e.g. without shared memory), which streams them through the scratch heap in cache-sized chunks:
 * copy the chunk of param/grad/state in (`TypedArray.set`), run the f32x4 loop, copy param and
 * state back. The arrays are still updated in place. Arithmetic is float32 per operation, as in
 * PyTorch's float32 kernels.
 */
import { ADAM_DESC } from '../wasm/optim-fns.js';
import { wasmRuntime, type WasmRuntime } from '../wasm/runtime.js';
import type { FloatArray } from './fused-common.js';

/** The scalars of one Adam update (see `fused-adam.ts`). */
export interface AdamScalars {
  sign: number;
  l2: number;
  decay: number;
  beta1: number;
  beta2: number;
  eps: number;
  stepSize: number;
  invBc2Sqrt: number;
}

/**
 * Writes an Adam descriptor at byte offset `d` of `rt`'s memory: the nine byte offsets
 * `[pIn, pOut, grad, mIn, mOut, vIn, vOut, xIn, xOut]` and the scalars of `c` (see `ADAM_DESC`).
 */
export function writeAdamDescriptor(rt: WasmRuntime, d: number, offsets: readonly number[], c: AdamScalars): void {
  offsets.forEach((o, j) => (rt.i32[(d >> 2) + j] = o));
  const { sign, l2, decay, beta1, beta2, eps, stepSize, invBc2Sqrt } = c;
  [sign, l2, decay, beta1, beta2, 1 - beta1, 1 - beta2, eps, stepSize, invBc2Sqrt].forEach((s, j) => (rt.f32[((d + ADAM_DESC.scalars) >> 2) + j] = s));
}

/** Elements per chunk: 5 arrays × 16384 × 4 bytes = 320 KiB, resident in L2 while computing. */
const CHUNK = 16384;

/** Whether the WASM SIMD Adam loop is available in this runtime. */
export function hasSimdAdam(): boolean {
  return wasmRuntime() !== null;
}

/**
 * Runs the float32 Adam update over `p, g, m, v` (and `vmax` for amsgrad) in place through the
 * scratch heap, reading the current values of p, m, v (and vmax) from `src` (positions 0, 2, 3,
 * 4: the sources of pending lazy copies, else the arrays themselves). Returns false (having done
 * nothing) when WASM SIMD is unavailable.
 */
export function streamAdamF32(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: FloatArray | undefined, c: AdamScalars,
  src: readonly Float32Array[] = [p, g, m, v, vmax as Float32Array],
): boolean {
  const rt = wasmRuntime();
  if (rt === null) return false;
  const x = vmax as Float32Array | undefined;
  const d = rt.reserve(ADAM_DESC.bytes + 5 * 4 * CHUNK);
  const slot = (k: number): number => d + ADAM_DESC.bytes + 4 * CHUNK * k;
  const [sp, sg, sm, sv, sx] = [0, 1, 2, 3, 4].map(slot) as [number, number, number, number, number];
  writeAdamDescriptor(rt, d, [sp, sp, sg, sm, sm, sv, sv, sx, sx], c);
  const fn = rt.fns[x === undefined ? 'adam_plain4' : 'adam_ams4'] as (...a: number[]) => void;
  const f = rt.f32;
  const n = p.length;
  for (let off = 0; off < n; off += CHUNK) {
    const end = Math.min(n, off + CHUNK);
    const len = end - off;
    f.set((src[0] as Float32Array).subarray(off, end), sp >> 2);
    f.set(g.subarray(off, end), sg >> 2);
    f.set((src[2] as Float32Array).subarray(off, end), sm >> 2);
    f.set((src[3] as Float32Array).subarray(off, end), sv >> 2);
    if (x !== undefined) f.set((src[4] as Float32Array).subarray(off, end), sx >> 2);
    // whole 64-byte granules: lanes past `len` hold stale values and are never copied back
    fn(d, 0, Math.ceil(len / 16) * 64);
    p.set(f.subarray(sp >> 2, (sp >> 2) + len), off);
    m.set(f.subarray(sm >> 2, (sm >> 2) + len), off);
    v.set(f.subarray(sv >> 2, (sv >> 2) + len), off);
    if (x !== undefined) x.set(f.subarray(sx >> 2, (sx >> 2) + len), off);
  }
  return true;
}
