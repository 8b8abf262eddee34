import { contiguousStrides, fmtShape, ShapeError, sizeOf } from '@backstep/tensor';

/**
 * For every position of `shape` (row-major), the element offset `offset + Σ pos[d] * strides[d]`.
 * The building block of broadcasting (stride 0 on broadcast dims), transpose (permuted strides),
 * slicing (scaled strides) and the gather family.
 */
export function stridedOffsets(shape: readonly number[], strides: readonly number[], offset = 0): Int32Array {
  const n = sizeOf(shape);
  const idx = new Int32Array(n);
  if (n === 0) return idx;
  const rank = shape.length;
  if (rank === 0) {
    idx[0] = offset;
    return idx;
  }
  const last = rank - 1;
  const lastSize = shape[last] as number;
  const lastStride = strides[last] as number;
  const counter = new Array<number>(rank).fill(0);
  let off = offset;
  let i = 0;
  while (i < n) {
    for (let j = 0; j < lastSize; j++) idx[i++] = off + j * lastStride;
    for (let d = last - 1; d >= 0; d--) {
      counter[d]++;
      off += strides[d] as number;
      if ((counter[d] as number) < (shape[d] as number)) break;
      off -= (counter[d] as number) * (strides[d] as number);
      counter[d] = 0;
    }
  }
  return idx;
}

/**
 * Strides that read an input of shape `inShape` while walking `outShape` under NumPy broadcasting:
 * `inShape` is right-aligned, and dims where the input has size 1 get stride 0.
 * Throws a {@link ShapeError} when `inShape` does not broadcast to `outShape`.
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[], op = 'broadcast'): number[] {
  if (inShape.length > outShape.length) {
    throw new ShapeError(`${op}: cannot broadcast shape ${fmtShape(inShape)} to ${fmtShape(outShape)} (more dims)`);
  }
  const inStrides = contiguousStrides(inShape);
  const lead = outShape.length - inShape.length;
  const strides = new Array<number>(outShape.length).fill(0);
  for (let d = 0; d < inShape.length; d++) {
    const di = inShape[d] as number;
    const dout = outShape[lead + d] as number;
    if (di === dout) strides[lead + d] = di === 1 ? 0 : (inStrides[d] as number);
    else if (di === 1) strides[lead + d] = 0;
    else {
      throw new ShapeError(
        `${op}: cannot broadcast shape ${fmtShape(inShape)} to ${fmtShape(outShape)} (dimension ${d}: ${di} vs ${dout})`,
      );
    }
  }
  return strides;
}

/**
 * The input offsets that a broadcast to `outShape` reads, or `null` when no broadcasting happens
 * (same shape: offset i is i).
 */
export function broadcastOffsets(inShape: readonly number[], outShape: readonly number[], op = 'broadcast'): Int32Array | null {
  if (inShape.length === outShape.length && inShape.every((d, i) => d === outShape[i])) return null;
  return stridedOffsets(outShape, broadcastStrides(inShape, outShape, op));
}

/**
 * Splits a contiguous shape around one axis: `outer` (product of dims before it), `size` (the axis)
 * and `inner` (product of dims after it, also the axis' stride). A 0-d shape is treated as [1].
 */
export function splitAtAxis(shape: readonly number[], axis: number): { outer: number; size: number; inner: number } {
  if (shape.length === 0) return { outer: 1, size: 1, inner: 1 };
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d] as number;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d] as number;
  return { outer, size: shape[axis] as number, inner };
}

/** Throws a RangeError unless `axis` is an integer in [0, rank) (or 0 for a 0-d tensor when `allowScalar`). */
export function checkAxis(op: string, axis: number, rank: number, allowScalar = false): void {
  const hi = rank === 0 && allowScalar ? 1 : rank;
  if (!Number.isInteger(axis) || axis < 0 || axis >= hi) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
}
