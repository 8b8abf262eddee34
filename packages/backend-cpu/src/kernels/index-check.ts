import { contiguousStrides, indexOutOfBoundsError } from '@backstep/tensor';
import { stridedOffsets } from './broadcast-index.js';

/** The gather/scatter index shape check, shared by the backends (see `@backstep/tensor`). */
export { checkGatherIndexShapes as checkGatherShapes } from '@backstep/tensor';

/**
 * Checks one index value against the size of the dim it indexes; throws `@backstep/tensor`'s
 * {@link indexOutOfBoundsError} naming the index, the dim and its size (indices are never wrapped
 * or clamped, so no garbage is read).
 */
export function checkIndex(op: string, index: number, axis: number, size: number): void {
  if (index < 0 || index >= size) throw indexOutOfBoundsError(op, index, axis, size);
}

/**
 * Offsets into a tensor of shape `target` for each position of `indexShape` (row-major), with the
 * `axis` coordinate left out (stride 0), ready for `+ index * axisStride`. Also returns that stride.
 */
export function offsetsOverIndex(
  target: readonly number[],
  indexShape: readonly number[],
  axis: number,
): { offsets: Int32Array; axisStride: number } {
  if (target.length === 0) return { offsets: stridedOffsets(indexShape, indexShape.map(() => 0)), axisStride: 1 };
  const strides = contiguousStrides(target);
  const axisStride = strides[axis] as number;
  const s = indexShape.map((_, d) => (d === axis ? 0 : (strides[d] as number)));
  return { offsets: stridedOffsets(indexShape, s), axisStride };
}
