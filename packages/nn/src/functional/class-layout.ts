import { assertTensor, DTypeError, fmtShape, movedim, reshape, ShapeError, type Tensor } from '@backstep/tensor';

/** Inputs of the class-index losses brought to rows: `[M, C]` scores and `[M]` targets. */
export interface ClassRows {
  /** `[M, C]`: one row of class scores per target element. */
  rows: Tensor;
  /** `[M]` int32 class indices. */
  target: Tensor;
  /** The number of classes C. */
  numClasses: number;
  /** The shape of the unreduced loss (the target's shape). */
  outShape: number[];
}

/**
 * Checks the shapes of a class-index loss (input `[C]` with a 0-d target, `[N, C]` with `[N]`, or
 * `[N, C, d1, ...]` with `[N, d1, ...]`) and moves the class dim last, flattening the rest.
 */
export function classRows(input: Tensor, target: Tensor, op: string): ClassRows {
  assertTensor(input, op, 'input');
  assertTensor(target, op, 'target');
  if (target.dtype !== 'int32') {
    throw new DTypeError(`${op}: expected target to hold class indices as an int32 tensor, got ${target.dtype}`);
  }
  if (input.ndim === 0) throw new ShapeError(`${op}: input must have at least 1 dimension (the classes)`);
  if (input.ndim === 1) {
    if (target.ndim !== 0) throw new ShapeError(`${op}: for an unbatched input ${fmtShape(input.shape)} the target must be 0-d, got ${fmtShape(target.shape)}`);
    const c = input.shape[0] as number;
    return { rows: reshape(input, [1, c]), target: reshape(target, [1]), numClasses: c, outShape: [] };
  }
  const n = input.shape[0] as number;
  const c = input.shape[1] as number;
  const expected = [n, ...input.shape.slice(2)];
  if (target.ndim >= 1 && target.shape[0] !== n) {
    throw new ShapeError(`${op}: Expected input batch_size (${n}) to match target batch_size (${target.shape[0]}).`);
  }
  if (target.ndim !== expected.length || target.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(`${op}: expected target of shape ${fmtShape(expected)} for input ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  const last = input.ndim > 2 ? movedim(input, 1, -1) : input;
  const m = target.numel();
  return { rows: reshape(last, [m, c]), target: reshape(target, [m]), numClasses: c, outShape: [...target.shape] };
}

/** On backends with synchronous reads, throws for a target that is neither `ignoreIndex` nor in [0, C). */
export function checkTargetRange(target: Tensor, numClasses: number, ignoreIndex: number): void {
  if (!target.engine.getBackend(target.backendName).supportsSyncRead) return;
  for (const v of target.dataSync()) {
    if (v !== ignoreIndex && (v < 0 || v >= numClasses)) throw new RangeError(`Target ${v} is out of bounds (${numClasses} classes).`);
  }
}
