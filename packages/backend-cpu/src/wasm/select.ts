/**
 * Float32 comparisons and `where` through the WASM module, for same-shape operands or a scalar
 * one (the layouts of e.g. the ReLU gradient `where(y > 0, g, 0)`), streamed in chunks like
 * `elementwise.ts`. Each returns false (doing nothing) when there is no WASM loop for the case.
 */
import { CHUNK } from './elementwise.js';
import { align64, wasmRuntime } from './runtime.js';
import { WASM_COMPARE } from './select-fns.js';

const slot = (n: number): number => align64(4 * n + 64);

/** `out[i] = a[i] op b[i]` (0/1 bytes) where each of a, b holds `n` elements or one. */
export function wasmCompareF32(name: string, a: Float32Array, b: Float32Array, out: Uint8Array): boolean {
  const n = out.length;
  if (!(name in WASM_COMPARE) || n === 0 || (a.length !== n && a.length !== 1) || (b.length !== n && b.length !== 1) || (a.length === 1 && b.length === 1)) return false;
  const rt = wasmRuntime();
  if (rt === null) return false;
  const variant = a.length === 1 ? 'sv' : b.length === 1 ? 'vs' : 'vv';
  const fn = rt.fns[`cmp_${name}_${variant}`] as (...a: number[]) => void;
  const c = Math.min(n, CHUNK);
  const pa = rt.reserve(3 * slot(c));
  const pb = pa + slot(c);
  const po = pb + slot(c);
  const f = rt.f32;
  const bytes = new Uint8Array(rt.memory.buffer, po, c);
  if (variant === 'sv') f[pa >> 2] = a[0] as number;
  if (variant === 'vs') f[pb >> 2] = b[0] as number;
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    if (variant !== 'sv') f.set(a.subarray(off, off + len), pa >> 2);
    if (variant !== 'vs') f.set(b.subarray(off, off + len), pb >> 2);
    fn(pa, pb, po, len);
    out.set(bytes.subarray(0, len), off);
  }
  return true;
}

/** `out[i] = cond[i] ? a[i] : b[i]` where cond holds `n` bytes and each of a, b `n` elements or one. */
export function wasmWhereF32(cond: Uint8Array, a: Float32Array, b: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  if (n === 0 || cond.length !== n || (a.length !== n && a.length !== 1) || (b.length !== n && b.length !== 1)) return false;
  const rt = wasmRuntime();
  if (rt === null) return false;
  const variant = `${a.length === 1 && n > 1 ? 's' : 'v'}${b.length === 1 && n > 1 ? 's' : 'v'}`;
  const fn = rt.fns[`where_${variant}`] as (...a: number[]) => void;
  const c = Math.min(n, CHUNK);
  const pc = rt.reserve(4 * slot(c));
  const pa = pc + slot(c);
  const pb = pa + slot(c);
  const po = pb + slot(c);
  const f = rt.f32;
  const bytes = new Uint8Array(rt.memory.buffer, pc, c);
  if (variant[0] === 's') f[pa >> 2] = a[0] as number;
  if (variant[1] === 's') f[pb >> 2] = b[0] as number;
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    bytes.set(cond.subarray(off, off + len));
    if (variant[0] === 'v') f.set(a.subarray(off, off + len), pa >> 2);
    if (variant[1] === 'v') f.set(b.subarray(off, off + len), pb >> 2);
    fn(pc, pa, pb, po, len);
    out.set(f.subarray(po >> 2, (po >> 2) + len), off);
  }
  return true;
}
