/**
 * Float32 elementwise, reduction and softmax kernels through the WASM module. Operands are
 * streamed through the scratch heap in chunks of {@link CHUNK} elements (copy in with
 * `TypedArray.set`, one SIMD pass, copy out), so a chunk stays in L2 while it is worked on and
 * the heap stays small. Each function returns false (doing nothing) when WebAssembly SIMD is
 * unavailable or the layout has no WASM loop; the caller then runs its TypeScript loop.
 */
import { WASM_BINARY, WASM_UNARY } from './elementwise-fns.js';
import { align64, wasmRuntime, type WasmRuntime } from './runtime.js';
import { heapStreamF32 } from './heap-stream.js';
import { heapBinaryF32, heapUnaryF32 } from './elementwise-heap.js';

/** Elements per streamed chunk (128 KiB of float32). */
export const CHUNK = 32768;

const UNARY = new Set<string>(WASM_UNARY);
const BINARY = new Set<string>(WASM_BINARY);

/** Byte size of a scratch buffer for `n` floats (whole vectors + alignment). */
const slot = (n: number): number => align64(4 * n + 16);

/** `out = f(src)` for a unary kernel with a WASM loop. */
export function wasmUnaryF32(name: string, src: Float32Array, out: Float32Array): boolean {
  const rt = UNARY.has(name) ? wasmRuntime() : null;
  if (rt === null) return false;
  if (heapUnaryF32(`un_${name}`, src, out)) return true;
  const fn = rt.fns[`un_${name}`] as (...a: number[]) => void;
  const n = src.length;
  const c = Math.min(n, CHUNK);
  const x = rt.reserve(2 * slot(c));
  const o = x + slot(c);
  const f = rt.f32;
  for (let off = 0; off < n; off += CHUNK) {
    const len = Math.min(CHUNK, n - off);
    f.set(src.subarray(off, off + len), x >> 2);
    fn(x, o, len);
    out.set(f.subarray(o >> 2, (o >> 2) + len), off);
  }
  return true;
}

/** One dimension of a collapsed broadcast: its size and each operand's element stride. */
interface Dim {
  size: number;
  as: number;
  bs: number;
}

/** Collapses the broadcast of `a` and `b` to `out` into at most a few dims (size-1 dims dropped, contiguous runs merged). */
function collapse(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): Dim[] {
  const rank = outShape.length;
  const strides = (shape: readonly number[]): number[] => {
    const s = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let d = rank - 1, e = shape.length - 1; d >= 0; d--, e--) {
      const size = e >= 0 ? (shape[e] as number) : 1;
      s[d] = size === 1 ? 0 : acc;
      acc *= size;
    }
    return s;
  };
  const as = strides(aShape);
  const bs = strides(bShape);
  const dims: Dim[] = [];
  for (let d = 0; d < rank; d++) {
    const size = outShape[d] as number;
    if (size === 1) continue;
    const cur = { size, as: as[d] as number, bs: bs[d] as number };
    const last = dims[dims.length - 1];
    if (last !== undefined && last.as === cur.as * size && last.bs === cur.bs * size) {
      last.size *= size;
      last.as = cur.as;
      last.bs = cur.bs;
    } else dims.push(cur);
  }
  return dims;
}

/**
 * `out = a op b` with NumPy broadcasting of `aShape` and `bShape` to `outShape`, for the binary
 * kernels with a WASM loop, when the broadcast collapses to at most 3 dims.
 */
export function wasmBinaryF32(
  name: string, a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[],
  outShape: readonly number[], out: Float32Array,
): boolean {
  const rt = BINARY.has(name) ? wasmRuntime() : null;
  if (rt === null || out.length === 0) return false;
  const dims = collapse(aShape, bShape, outShape);
  if (dims.length === 0) dims.push({ size: 1, as: 1, bs: 1 });
  if (dims.length > 3) return false;
  while (dims.length < 3) dims.unshift({ size: 1, as: 0, bs: 0 });
  const [d0, d1, d2] = dims as [Dim, Dim, Dim];
  if (d2.as === 0 && d2.bs === 0) return false;
  const variant = d2.as === 0 ? 'sv' : d2.bs === 0 ? 'vs' : 'vv';
  if (heapBinaryF32(`bin_${name}_${variant}`, a, b, [d0, d1, d2], out)) return true;
  const fn = rt.fns[`bin_${name}_${variant}`] as (...a: number[]) => void;
  if (d0.size === 1 && d1.size === 1) {
    // one dimension: stream chunks of it
    const n = d2.size;
    const c = Math.min(n, CHUNK);
    const pa = rt.reserve(3 * slot(c));
    const pb = pa + slot(c);
    const po = pb + slot(c);
    const f = rt.f32;
    if (variant === 'sv') f[pa >> 2] = a[0] as number;
    if (variant === 'vs') f[pb >> 2] = b[0] as number;
    for (let off = 0; off < n; off += CHUNK) {
      const len = Math.min(CHUNK, n - off);
      if (variant !== 'sv') f.set(a.subarray(off, off + len), pa >> 2);
      if (variant !== 'vs') f.set(b.subarray(off, off + len), pb >> 2);
      fn(pa, pb, po, 1, 1, len, 0, 0, 0, 0);
      out.set(f.subarray(po >> 2, (po >> 2) + len), off);
    }
    return true;
  }
  // chunks of whole [d1, d2] slabs along d0; an operand broadcast along d0 is copied once
  const slab = d1.size * d2.size;
  const rows = Math.max(1, Math.floor(CHUNK / slab));
  const span = (s0: number, len: number): number => (s0 === 0 ? len : rows * s0);
  const aLen = span(d0.as, a.length);
  const bLen = span(d0.bs, b.length);
  const pa = rt.reserve(slot(aLen) + slot(bLen) + slot(rows * slab));
  const pb = pa + slot(aLen);
  const po = pb + slot(bLen);
  const f = rt.f32;
  if (d0.as === 0) f.set(a, pa >> 2);
  if (d0.bs === 0) f.set(b, pb >> 2);
  for (let i0 = 0; i0 < d0.size; i0 += rows) {
    const r = Math.min(rows, d0.size - i0);
    if (d0.as !== 0) f.set(a.subarray(i0 * d0.as, (i0 + r) * d0.as), pa >> 2);
    if (d0.bs !== 0) f.set(b.subarray(i0 * d0.bs, (i0 + r) * d0.bs), pb >> 2);
    fn(pa, pb, po, r, d1.size, d2.size, 4 * d0.as, 4 * d1.as, 4 * d0.bs, 4 * d1.bs);
    out.set(f.subarray(po >> 2, (po >> 2) + r * slab), i0 * slab);
  }
  return true;
}

/** Runs `fn(x, out, rows, len)` over rows of `len` floats in chunks; returns per-row results (f64 for sums). */
function rowsPass(rt: WasmRuntime, fn: (...a: number[]) => void, x: Float32Array, rows: number, len: number, sum: boolean, out: Float32Array): void {
  const per = Math.max(1, Math.floor(CHUNK / len));
  const px = rt.reserve(slot(per * len) + align64(8 * per));
  const po = px + slot(per * len);
  const f = rt.f32;
  const res = sum ? new Float64Array(rt.memory.buffer, po, per) : f.subarray(po >> 2, (po >> 2) + per);
  for (let r0 = 0; r0 < rows; r0 += per) {
    const r = Math.min(per, rows - r0);
    f.set(x.subarray(r0 * len, (r0 + r) * len), px >> 2);
    fn(px, po, r, len);
    for (let i = 0; i < r; i++) out[r0 + i] = res[i] as number;
  }
}

/**
 * `sum`/`max`/`min` of float32 `x` of `shape` over `axes` into `out` (kept dims in order), when
 * the reduced axes form one contiguous block, or a leading and a trailing block around the kept
 * ones (after dropping size-1 dims). Sums accumulate in float64; max/min propagate NaN.
 */
export function wasmReduceF32(name: string, x: Float32Array, shape: readonly number[], axes: readonly number[], out: Float32Array): boolean {
  const rt = name === 'sum' || name === 'max' || name === 'min' ? wasmRuntime() : null;
  if (rt === null || x.length === 0 || out.length === 0) return false;
  // merge the dims (size-1 ones dropped) into alternating blocks of reduced and kept dims
  const blocks: { size: number; reduced: boolean }[] = [];
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d] as number;
    if (size === 1) continue;
    const reduced = axes.includes(d);
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.reduced === reduced) last.size *= size;
    else blocks.push({ size, reduced });
  }
  const sum = name === 'sum';
  if (blocks.length === 3 && blocks[0]?.reduced === true) {
    // reduced · kept · reduced (e.g. a conv bias gradient over N, H, W): per-row results of the
    // inner block, then combined over the outer block here
    const [a, k, i] = blocks.map((b) => b.size) as [number, number, number];
    const partial = sum ? new Float64Array(a * k) : new Float32Array(a * k);
    rowsPass(rt, rt.fns[`red_${name}Rows`] as (...x: number[]) => void, x, a * k, i, sum, partial as Float32Array);
    const column = sum ? new Float64Array(a) : new Float32Array(a);
    for (let o = 0; o < k; o++) {
      for (let r = 0; r < a; r++) column[r] = partial[r * k + o] as number;
      out[o] = sum ? neumaier(column as Float64Array) : combine(column as Float32Array, name === 'max');
    }
    return true;
  }
  if (blocks.filter((b) => b.reduced).length !== 1) return false;
  const at = blocks.findIndex((b) => b.reduced);
  const outer = at === 1 ? (blocks[0] as { size: number }).size : 1;
  const red = (blocks[at] as { size: number }).size;
  const inner = at + 1 < blocks.length ? (blocks[at + 1] as { size: number }).size : 1;
  if (inner === 1) {
    const fn = rt.fns[`red_${name}Rows`] as (...a: number[]) => void;
    if (red <= CHUNK || outer > 1) {
      rowsPass(rt, fn, x, outer, red, sum, out);
      return true;
    }
    // one long row: partial results of chunks, combined here
    const parts = Math.ceil(red / CHUNK);
    const partial = new Float32Array(parts);
    const partialSums = new Float64Array(parts);
    for (let p = 0; p < parts; p++) {
      const seg = x.subarray(p * CHUNK, Math.min(red, (p + 1) * CHUNK));
      if (sum) rowsPassF64(rt, fn, seg, partialSums, p);
      else rowsPass(rt, fn, seg, 1, seg.length, false, partial.subarray(p, p + 1));
    }
    out[0] = sum ? neumaier(partialSums) : combine(partial, name === 'max');
    return true;
  }
  if (outer * red * inner > 1 << 24) return false;
  const fn = rt.fns[`red_${name}Mid`] as (...a: number[]) => void;
  const px = rt.reserve(slot(red * inner) + align64(8 * inner + 16));
  const po = px + slot(red * inner);
  const f = rt.f32;
  const res = sum ? new Float64Array(rt.memory.buffer, po, inner) : f.subarray(po >> 2, (po >> 2) + inner);
  for (let o = 0; o < outer; o++) {
    f.set(x.subarray(o * red * inner, (o + 1) * red * inner), px >> 2);
    fn(px, po, 1, red, inner);
    for (let i = 0; i < inner; i++) out[o * inner + i] = res[i] as number;
  }
  return true;
}

/** The float64 sum of one segment, stored at `into[index]`. */
function rowsPassF64(rt: WasmRuntime, fn: (...a: number[]) => void, seg: Float32Array, into: Float64Array, index: number): void {
  const px = rt.reserve(slot(seg.length) + 64);
  const po = px + slot(seg.length);
  rt.f32.set(seg, px >> 2);
  fn(px, po, 1, seg.length);
  into[index] = new Float64Array(rt.memory.buffer, po, 1)[0] as number;
}

/** Compensated sum of partial sums (the plain sum when it is not finite). */
function neumaier(v: Float64Array): number {
  let s = 0;
  let c = 0;
  for (const x of v) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return Number.isFinite(s) ? s + c : s;
}

/** Max or min of partial results, NaN propagating. */
function combine(v: Float32Array, isMax: boolean): number {
  let m = v[0] as number;
  for (let i = 1; i < v.length && m === m; i++) {
    const x = v[i] as number;
    if (x !== x || (isMax ? x > m : x < m)) m = x;
  }
  return m;
}

/** softmax / logSoftmax of float32 `x` along its last axis (rows of `size`), into `out`. */
export function wasmSoftmaxF32(log: boolean, x: Float32Array, size: number, out: Float32Array): boolean {
  const rt = wasmRuntime();
  if (rt === null || x.length === 0 || size > CHUNK) return false;
  const fn = rt.fns[log ? 'sm_logSoftmax' : 'sm_softmax'] as (...a: number[]) => void;
  const rows = x.length / size;
  const per = Math.max(1, Math.floor(CHUNK / size));
  const px = rt.reserve(2 * slot(per * size));
  const po = px + slot(per * size);
  const f = rt.f32;
  for (let r0 = 0; r0 < rows; r0 += per) {
    const r = Math.min(per, rows - r0);
    f.set(x.subarray(r0 * size, (r0 + r) * size), px >> 2);
    fn(px, po, r, size);
    out.set(f.subarray(po >> 2, (po >> 2) + r * size), r0 * size);
  }
  return true;
}

/**
 * Streams float32 arrays of equal length through `fn(ptr0, ptr1, ..., n, scalarsPtr)`: in place
 * when they all live in the tensor heap (see `heap-stream.ts`), else in chunks: each array is copied in, and those flagged in `writes` copied back (in place). `scalars` are
 * stored as float32 at `scalarsPtr`; `pointerArgs` pads the pointer list with zeros (unused
 * operands). Returns false when WebAssembly SIMD is unavailable.
 */
export function wasmStreamF32(name: string, arrays: readonly Float32Array[], writes: readonly boolean[], scalars: readonly number[], pointerArgs = arrays.length): boolean {
  if (heapStreamF32(name, arrays, scalars, pointerArgs)) return true;
  const rt = wasmRuntime();
  if (rt === null) return false;
  const fn = rt.fns[name] as (...a: number[]) => void;
  const n = (arrays[0] as Float32Array).length;
  const c = Math.max(1, Math.min(n, CHUNK / 2));
  const base = rt.reserve(arrays.length * slot(c) + 64);
  const ptrs = arrays.map((_, k) => base + k * slot(c));
  const sp = base + arrays.length * slot(c);
  const f = rt.f32;
  scalars.forEach((v, k) => (f[(sp >> 2) + k] = v));
  for (let off = 0; off < n; off += c) {
    const len = Math.min(c, n - off);
    arrays.forEach((a, k) => f.set(a.subarray(off, off + len), (ptrs[k] as number) >> 2));
    fn(...ptrs, ...new Array<number>(pointerArgs - ptrs.length).fill(0), len, sp);
    arrays.forEach((a, k) => {
      if (writes[k]) a.set(f.subarray((ptrs[k] as number) >> 2, ((ptrs[k] as number) >> 2) + len), off);
    });
  }
  return true;
}
