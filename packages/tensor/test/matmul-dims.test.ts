import { describe, expect, it } from 'vitest';
import { DTypeError, matmulDims, ShapeError } from '../src/index.js';

const f32 = (...shape: number[]): { shape: number[]; dtype: 'float32' } => ({ shape, dtype: 'float32' });
const plain = { transposeA: false, transposeB: false };

describe('matmulDims', () => {
  it('reads M, K, N and the batches of plain operands', () => {
    // [2, 3, 4] @ [2, 4, 5] → [2, 3, 5]
    expect(matmulDims(f32(2, 3, 4), f32(2, 4, 5), plain)).toEqual({ batch: 2, ba: 2, bb: 2, m: 3, k: 4, n: 5, transposeA: false, transposeB: false });
  });

  it('reads transposed operands and broadcasts a batch of 1', () => {
    // a stored [1, K=4, M=3], b stored [6, N=5, K=4] → [6, 3, 5]
    expect(matmulDims(f32(1, 4, 3), f32(6, 5, 4), { transposeA: true, transposeB: true })).toEqual({
      batch: 6, ba: 1, bb: 6, m: 3, k: 4, n: 5, transposeA: true, transposeB: true,
    });
    // b's batch of 1 broadcasts over a's 7; empty sizes are fine
    expect(matmulDims(f32(7, 0, 2), f32(1, 2, 0), plain)).toMatchObject({ batch: 7, ba: 7, bb: 1, m: 0, k: 2, n: 0 });
  });

  it('refuses mismatched or bool dtypes', () => {
    expect(() => matmulDims(f32(1, 2, 2), { shape: [1, 2, 2], dtype: 'int32' }, plain)).toThrow(DTypeError);
    expect(() => matmulDims(f32(1, 2, 2), { shape: [1, 2, 2], dtype: 'int32' }, plain)).toThrow('matmul: expected inputs of one dtype, got float32 and int32');
    const bool = { shape: [1, 2, 2], dtype: 'bool' as const };
    expect(() => matmulDims(bool, bool, plain)).toThrow('matmul: not supported for bool tensors (cast to a number type first)');
  });

  it('refuses shapes that are not rank 3, inner dims that differ and batches that do not broadcast', () => {
    expect(() => matmulDims(f32(2, 3), f32(1, 3, 2), plain)).toThrow('matmul kernel: expected rank-3 inputs, got [2, 3] and [1, 3, 2]');
    expect(() => matmulDims(f32(1, 2, 3), f32(1, 4, 5), plain)).toThrow(ShapeError);
    expect(() => matmulDims(f32(1, 2, 3), f32(1, 4, 5), plain)).toThrow('matmul: inner dimensions do not match: [1, 2, 3] @ [1, 4, 5] (3 vs 4)');
    // with transposeA, a [1, 2, 3] has K = 2; b [1, 5, 4] with transposeB has K = 4
    expect(() => matmulDims(f32(1, 2, 3), f32(1, 5, 4), { transposeA: true, transposeB: true })).toThrow(
      'matmul: inner dimensions do not match: [1, 2, 3]ᵀ @ [1, 5, 4]ᵀ (2 vs 4)',
    );
    expect(() => matmulDims(f32(2, 3, 4), f32(3, 4, 5), plain)).toThrow('matmul: batch dimensions 2 and 3 cannot be broadcast');
  });
});
