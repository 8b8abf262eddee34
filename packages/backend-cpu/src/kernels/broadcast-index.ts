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
