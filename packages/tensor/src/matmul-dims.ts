/** Shape checks of the `matmul` kernel, shared by the backends. */
import type { DType } from './dtype.js';
import { DTypeError, ShapeError } from './errors.js';
import { fmtShape, type Shape } from './shape.js';

/**
 * The sizes of a batched product `a [Ba, M, K] @ b [Bb, K, N]` (a stored as [Ba, K, M] with
 * `transposeA`, b as [Bb, N, K] with `transposeB`); the output is [batch, M, N].
 */
export interface MatmulDims {
  /** Output batch: Ba and Bb are equal or one of them is 1 (it broadcasts). */
  batch: number;
  /** Batch of a (1: broadcast over `batch`). */
  ba: number;
  /** Batch of b (1: broadcast over `batch`). */
  bb: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * Validates the inputs of the `matmul` kernel and returns its dims: both inputs of one dtype, not
 * bool, rank 3, matching inner dims (K) and batches that are equal or 1. Throws a DTypeError or a
 * ShapeError naming the shapes otherwise.
 */
export function matmulDims(
  a: { readonly shape: Shape; readonly dtype: DType },
  b: { readonly shape: Shape; readonly dtype: DType },
  attrs: { readonly transposeA: boolean; readonly transposeB: boolean },
): MatmulDims {
  if (a.dtype !== b.dtype) throw new DTypeError(`matmul: expected inputs of one dtype, got ${a.dtype} and ${b.dtype}`);
  if (a.dtype === 'bool') throw new DTypeError('matmul: not supported for bool tensors (cast to a number type first)');
  if (a.shape.length !== 3 || b.shape.length !== 3) {
    throw new ShapeError(`matmul kernel: expected rank-3 inputs, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  const { transposeA, transposeB } = attrs;
  const [ba, a1, a2] = a.shape as [number, number, number];
  const [bb, b1, b2] = b.shape as [number, number, number];
  const m = transposeA ? a2 : a1;
  const k = transposeA ? a1 : a2;
  const kb = transposeB ? b2 : b1;
  const n = transposeB ? b1 : b2;
  if (k !== kb) {
    throw new ShapeError(
      `matmul: inner dimensions do not match: ${fmtShape(a.shape)}${transposeA ? 'ᵀ' : ''} @ ` +
        `${fmtShape(b.shape)}${transposeB ? 'ᵀ' : ''} (${k} vs ${kb})`,
    );
  }
  if (ba !== bb && ba !== 1 && bb !== 1) {
    throw new ShapeError(`matmul: batch dimensions ${ba} and ${bb} cannot be broadcast`);
  }
  return { batch: ba === 1 ? bb : ba, ba, bb, m, k, n, transposeA, transposeB };
}
