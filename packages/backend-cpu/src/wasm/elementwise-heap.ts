/**
 * Unary and binary float32 kernels over arrays in the tensor heap: one WASM call over the whole
 * arrays, addressed where they live (no streaming through the scratch heap). Small operands that
 * are host arrays (biases, scalars) are copied into the shared scratch heap first.
 */
import { allInHeap } from './heap-stream.js';
import { align64, offsetIn, sharedRuntime } from './runtime.js';

/** Host arrays up to this many elements are copied into the scratch heap for a heap kernel. */
const COPY_MAX = 1 << 15;

/** `out = f(src)` in the heap; false (nothing done) unless both live there. */
export function heapUnaryF32(fnName: string, src: Float32Array, out: Float32Array): boolean {
  const rt = sharedRuntime();
  if (rt === null || !allInHeap([src, out], out.length)) return false;
  (rt.fns[fnName] as (...a: number[]) => void)(src.byteOffset, out.byteOffset, out.length);
  return true;
}

/** One collapsed broadcast dimension: size and each operand's element stride. */
export interface BroadcastDim {
  size: number;
  as: number;
  bs: number;
}

/**
 * `out = a op b` over three collapsed broadcast dims in one call of `fnName`
 * (`fn(pa, pb, po, n0, n1, n2, a0, a1, b0, b1)`, strides in bytes); false (nothing done) unless
 * `out` lives in the heap and each operand does too or is small enough to copy.
 */
export function heapBinaryF32(fnName: string, a: Float32Array, b: Float32Array, dims: readonly [BroadcastDim, BroadcastDim, BroadcastDim], out: Float32Array): boolean {
  const rt = sharedRuntime();
  if (rt === null || !allInHeap([out], out.length)) return false;
  let pa = offsetIn(rt, a);
  let pb = offsetIn(rt, b);
  if ((pa < 0 && a.length > COPY_MAX) || (pb < 0 && b.length > COPY_MAX)) return false;
  if (pa < 0 || pb < 0) {
    const aBytes = pa < 0 ? align64(4 * a.length + 16) : 0;
    const base = rt.reserve(aBytes + (pb < 0 ? align64(4 * b.length + 16) : 0));
    if (pa < 0) rt.f32.set(a, (pa = base) >> 2);
    if (pb < 0) rt.f32.set(b, (pb = base + aBytes) >> 2);
  }
  const [d0, d1, d2] = dims;
  (rt.fns[fnName] as (...x: number[]) => void)(pa, pb, out.byteOffset, d0.size, d1.size, d2.size, 4 * d0.as, 4 * d1.as, 4 * d0.bs, 4 * d1.bs);
  return true;
}
