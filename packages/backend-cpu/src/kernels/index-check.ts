import { contiguousStrides, fmtShape, ShapeError } from '@backstep/tensor';
import { stridedOffsets } from './broadcast-index.js';

/**
 * Checks one index value against the size of the dim it indexes; throws a RangeError naming the
 * index, the dim and its size (indices are never wrapped or clamped, so no garbage is read).
 */
export function checkIndex(op: string, index: number, axis: number, size: number): void {
  if (index < 0 || index >= size) {
    throw new RangeError(`${op}: index ${index} is out of bounds for dimension ${axis} with size ${size}`);
  }
}

/**
 * For gather/scatter: checks that `index` has x's rank and is no larger than `x` outside `axis`
 * (and no larger than `src` anywhere, when given), as torch.gather/torch.scatter require.
 */
export function checkGatherShapes(
  op: string,
  xShape: readonly number[],
  indexShape: readonly number[],
  axis: number,
  srcShape?: readonly number[],
): void {
  const rank = xShape.length;
  if (indexShape.length !== rank && !(rank === 0 && indexShape.length <= 1)) {
    throw new ShapeError(`${op}: index ${fmtShape(indexShape)} must have the same number of dims as the input ${fmtShape(xShape)}`);
  }
  for (let d = 0; d < indexShape.length; d++) {
    const i = indexShape[d] as number;
    if (d !== axis && rank > 0 && i > (xShape[d] as number)) {
      throw new ShapeError(`${op}: index ${fmtShape(indexShape)} is larger than the input ${fmtShape(xShape)} in dimension ${d}`);
    }
    if (srcShape !== undefined && i > (srcShape[d] ?? 1)) {
      throw new ShapeError(`${op}: index ${fmtShape(indexShape)} is larger than src ${fmtShape(srcShape)} in dimension ${d}`);
    }
  }
  if (srcShape !== undefined && srcShape.length !== indexShape.length && !(srcShape.length === 0 && rank === 0)) {
    throw new ShapeError(`${op}: src ${fmtShape(srcShape)} must have the same number of dims as index ${fmtShape(indexShape)}`);
  }
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
