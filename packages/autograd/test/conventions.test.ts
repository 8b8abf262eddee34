/** PyTorch's conventions at non-differentiable points, ties and zeros (hand-derived values). */
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '@backstep/tensor';
import { setup, values } from '../../../tools/testing/cpu-setup.js';

beforeAll(setup);

function gradOf(x: T.Tensor, f: (t: T.Tensor) => T.Tensor): number[] {
  T.sum(f(x)).backward();
  return values(x.grad);
}

const leaf = (v: number[]): T.Tensor => T.tensor(v, { requiresGrad: true });

describe('PyTorch gradient conventions', () => {
  it("abs'(0) = 0 and relu'(0) = 0", () => {
    expect(gradOf(leaf([-2, 0, 3]), T.abs)).toEqual([-1, 0, 1]);
    expect(gradOf(leaf([-2, 0, 3]), T.relu)).toEqual([0, 0, 1]);
  });

  it('clamp passes the gradient on the (inclusive) bounds', () => {
    expect(gradOf(leaf([-1, -0.5, 0, 0.75, 1]), (x) => T.clamp(x, { min: -0.5, max: 0.75 }))).toEqual([0, 1, 1, 1, 0]);
  });

  it('maximum/minimum split the gradient equally on ties', () => {
    const a = leaf([1, 2, 3]);
    const b = leaf([1, 5, 0]);
    T.sum(T.maximum(a, b)).backward();
    expect(values(a.grad)).toEqual([0.5, 0, 1]);
    expect(values(b.grad)).toEqual([0.5, 1, 0]);
    const c = leaf([1, 2]);
    const d = leaf([1, 0]);
    T.sum(T.minimum(c, d)).backward();
    expect(values(c.grad)).toEqual([0.5, 0]);
    expect(values(d.grad)).toEqual([0.5, 1]);
  });

  it('max/min reductions split evenly among tied extrema', () => {
    const third = Math.fround(1 / 3);
    expect(gradOf(leaf([1, 3, 3, 2, 3]), (x) => T.amax(x))).toEqual([0, third, third, 0, third]);
    expect(gradOf(leaf([1, 3, 3, 2, 3]), (x) => T.max(x))).toEqual([0, third, third, 0, third]);
    const x = T.tensor([[1, 1], [0, 2]], { requiresGrad: true });
    T.sum(T.amin(x, 1)).backward();
    expect(values(x.grad)).toEqual([0.5, 0.5, 1, 0]);
  });

  it('max(dim) sends the gradient to the selected index only', () => {
    const x = T.tensor([[2, 2, 1]], { requiresGrad: true });
    T.sum(T.max(x, 1).values).backward();
    expect(values(x.grad)).toEqual([1, 0, 0]);
  });

  it('prod: the gradient of an element is the product of the others, zeros included', () => {
    expect(gradOf(leaf([2, 3, 4]), (x) => T.prod(x))).toEqual([12, 8, 6]);
    expect(gradOf(leaf([2, 0, 4]), (x) => T.prod(x))).toEqual([0, 8, 0]);
    expect(gradOf(leaf([0, 3, 0]), (x) => T.prod(x))).toEqual([0, 0, 0]);
    const m = T.tensor([[0, 5], [2, 3]], { requiresGrad: true });
    T.sum(T.prod(m, 1)).backward();
    expect(values(m.grad)).toEqual([5, 0, 3, 2]);
  });

  it('pow: d/da masked where b == 0; d/db masked where a == 0 and b >= 0', () => {
    const a = leaf([0, 0, 2, 0]);
    const b = leaf([0, 2, 0, 0.5]);
    T.sum(T.pow(a, b)).backward();
    // d/da = b·a^(b-1): 0 (b = 0), 2·0 = 0, 0 (b = 0), 0.5·0^-0.5 = inf
    expect(values(a.grad)).toEqual([0, 0, 0, Infinity]);
    // d/db = a^b·ln a: masked at a = 0 (b >= 0); 1·ln 2 at [2, 0]
    expect(values(b.grad)[0]).toBe(0);
    expect(values(b.grad)[1]).toBe(0);
    expect(values(b.grad)[2]).toBeCloseTo(Math.LN2, 6);
    expect(values(b.grad)[3]).toBe(0);
  });

  it('sign, floor, ceil and round have zero gradient', () => {
    for (const f of [T.sign, T.floor, T.ceil, T.round]) expect(gradOf(leaf([-1.5, 0.2, 2.7]), f)).toEqual([0, 0, 0]);
  });

  it('cast between float dtypes casts the gradient back', () => {
    const x = T.tensor([1, 2], { requiresGrad: true });
    const y = T.mul(x.double(), T.tensor([3, 4], { dtype: 'float64' }));
    T.sum(y).backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(values(x.grad)).toEqual([3, 4]);
  });

  it('gradients through broadcasting are summed back to each input shape', () => {
    const a = T.tensor([[1], [2]], { requiresGrad: true }); // [2, 1]
    const b = T.tensor([10, 20, 30], { requiresGrad: true }); // [3]
    T.sum(T.mul(a, b)).backward();
    expect(values(a.grad)).toEqual([60, 60]);
    expect(values(b.grad)).toEqual([3, 3, 3]);
  });
});
