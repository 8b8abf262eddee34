/**
 * Axis helpers shared by the backends' kernels (the front-end ops normalise negative axes before
 * a kernel runs, so kernels see axes in [0, rank)).
 */

/** Throws a RangeError unless `axis` is an integer in [0, rank) (or 0 for a 0-d tensor when `allowScalar`). */
export function checkAxis(op: string, axis: number, rank: number, allowScalar = false): void {
  const hi = rank === 0 && allowScalar ? 1 : rank;
  if (!Number.isInteger(axis) || axis < 0 || axis >= hi) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
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
