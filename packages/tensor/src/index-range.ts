/**
 * Index checks shared by the backends' `gather`, `scatter`, `scatterAdd`, `indexSelect` and
 * `indexAdd` kernels, so every backend throws the same errors with the same messages.
 */
import { ShapeError } from './errors.js';
import { fmtShape, type Shape } from './shape.js';

/**
 * The error for an index value outside [0, size) of the dim it indexes:
 * `RangeError: <op>: index <index> is out of bounds for dimension <axis> with size <size>`.
 * Backends that check on the host throw it at once; a backend that checks on the device (WebGPU)
 * builds it from the offending value when the result is read.
 */
export function indexOutOfBoundsError(op: string, index: number, axis: number, size: number): RangeError {
  return new RangeError(`${op}: index ${index} is out of bounds for dimension ${axis} with size ${size}`);
}

/**
 * For gather/scatter kernels: checks that an index of shape `indexShape` has the rank of `xShape`
 * and is no larger than it outside `axis` (and no larger than `srcShape` anywhere, when given), as
 * torch.gather/torch.scatter require. A 0-d input takes a 0-d or 1-d index. Throws a ShapeError
 * naming the shapes and the dim otherwise.
 */
export function checkGatherIndexShapes(op: string, xShape: Shape, indexShape: Shape, axis: number, srcShape?: Shape): void {
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
