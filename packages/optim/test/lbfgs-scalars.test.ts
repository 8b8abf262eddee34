/** LBFGS's host scalars: the cubic interpolation and PyTorch's scalar / 0-d tensor promotion. */
import { describe, expect, it } from 'vitest';
import { cubicInterpolate } from '../src/lbfgs-cubic.js';
import { ScalarOps } from '../src/lbfgs-scalars.js';

describe('LBFGS: cubic interpolation and scalar promotion', () => {
  const S64 = new ScalarOps('float64');
  it('the cubic through two points of a quadratic has the quadratic\'s minimizer', () => {
    // f = (x - 2)²: (0, 4, -4) and (3, 1, 2): d1 = -4 + 2 - 3·3/(-3) = 1, d2 = √(1 + 8) = 3,
    // min = 3 - 3·(2 + 3 - 1)/(2 + 4 + 6) = 2 (also with the points swapped)
    expect(cubicInterpolate(S64, 0, 4, -4, 3, 1, 2).v).toBe(2);
    expect(cubicInterpolate(S64, 3, 1, 2, 0, 4, -4).v).toBe(2);
    // clamped to the bounds
    expect(cubicInterpolate(S64, 0, 4, -4, 3, 1, 2, [2.5, 30]).v).toBe(2.5);
    expect(cubicInterpolate(S64, 0, 4, -4, 3, 1, 2, [0, 1]).v).toBe(1);
  });

  it('without a real minimizer it returns the middle of the bounds', () => {
    // (0, 0, 5), (1, 3, 5): d1 = 5 + 5 - 3·(0 - 3)/(0 - 1) = 1, d1² - g1·g2 = 1 - 25 < 0
    expect(cubicInterpolate(S64, 0, 0, 5, 1, 3, 5).v).toBe(0.5);
    expect(cubicInterpolate(S64, 0, 0, 5, 1, 3, 5, [1, 10]).v).toBe(5.5);
  });

  it('float32: a 0-d tensor operand makes the operation float32, Python floats stay double', () => {
    const S = new ScalarOps('float32');
    const third = S.div(1, 3); // Python floats: double
    expect(third).toEqual({ v: 1 / 3, tensor: false });
    const t = S.tensor(3);
    expect(S.div(S.tensor(1), t)).toEqual({ v: Math.fround(1 / 3), tensor: true });
    // Python float / tensor is reciprocal(tensor) * float: two roundings
    const f = 0.1;
    expect(S.div(f, t).v).toBe(Math.fround(Math.fround(1 / 3) * Math.fround(0.1)));
    // comparisons with a tensor round the Python float first
    expect(S.le(S.tensor(0.1), 0.1)).toBe(true); // fround(0.1) > 0.1, but compared in float32
    expect(0.1 <= Math.fround(0.1) && Math.fround(0.1) <= 0.1).toBe(false);
    // Python's min/max return the operand itself (kind included)
    expect(S.min(1, S.tensor(0.5))).toEqual({ v: 0.5, tensor: true });
    expect(S.min(1, S.tensor(2))).toEqual({ v: 1, tensor: false });
  });
});
