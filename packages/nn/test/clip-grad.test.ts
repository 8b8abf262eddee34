import { beforeAll, describe, expect, it } from 'vitest';
import { tensor, zeros } from '@backstep/tensor';
import { clipGradNorm_, clipGradValue_, Parameter } from '../src/index.js';
import { expectClose, setup, values } from './setup.js';

beforeAll(setup);

function params(): [Parameter, Parameter, Parameter] {
  const a = new Parameter(zeros([2], { dtype: 'float64' }));
  const b = new Parameter(zeros([1, 1], { dtype: 'float64' }));
  const c = new Parameter(zeros([3], { dtype: 'float64' }));
  a.grad = tensor([3, -4], { dtype: 'float64' }); // norm 5
  b.grad = tensor([[12]], { dtype: 'float64' }); // norm 12
  // c has no gradient and is skipped
  return [a, b, c];
}

describe('clipGradNorm_', () => {
  it('scales every gradient by maxNorm / (total + 1e-6) and returns the total norm (13)', () => {
    const [a, b, c] = params();
    const ga = a.grad;
    const total = clipGradNorm_([a, b, c], 6.5);
    expect(total.shape).toEqual([]);
    expect(total.item()).toBeCloseTo(13, 12);
    const coef = 6.5 / (13 + 1e-6);
    expectClose(values(a.grad), [3 * coef, -4 * coef], 1e-12, 1e-12);
    expectClose(values(b.grad), [12 * coef], 1e-12, 1e-12);
    expect(a.grad).toBe(ga); // updated in place, identity kept
    expect(c.grad).toBeNull();
  });

  it('leaves gradients alone when the norm is below maxNorm (coefficient clamped to 1)', () => {
    const [a, b] = params();
    expect(clipGradNorm_([a, b], 20).item()).toBeCloseTo(13, 12);
    expect(values(a.grad)).toEqual([3, -4]);
    expect(values(b.grad)).toEqual([12]);
  });

  it('supports the infinity norm and the 1-norm, and a single tensor', () => {
    const [a, b] = params();
    expect(clipGradNorm_([a, b], 100, { normType: Infinity }).item()).toBe(12);
    expect(clipGradNorm_([a, b], 100, { normType: 1 }).item()).toBeCloseTo(19, 12);
    const [a2, b2] = params();
    clipGradNorm_([a2, b2], 6, { normType: Infinity });
    expectClose(values(b2.grad), [12 * (6 / (12 + 1e-6))], 1e-12);
    expect(clipGradNorm_(a, 100).item()).toBeCloseTo(5, 12);
  });

  it('returns 0 without gradients and can refuse non-finite norms', () => {
    const p = new Parameter(zeros([2]));
    expect(clipGradNorm_([p], 1).item()).toBe(0);
    p.grad = tensor([Number.NaN, 1]);
    expect(() => clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow(/non-finite/);
    expect(Number.isNaN(clipGradNorm_([p], 1).item())).toBe(true);
  });

  it('works on float32 gradients', () => {
    const p = new Parameter(zeros([2]));
    p.grad = tensor([3, 4]);
    expect(clipGradNorm_([p], 1).item()).toBeCloseTo(5, 5);
    expectClose(values(p.grad), [0.6, 0.8], 1e-6);
  });
});

describe('clipGradValue_', () => {
  it('clamps each gradient element to [-clip, clip], skipping params without grad', () => {
    const [a, b, c] = params();
    clipGradValue_([a, b, c], 3.5);
    expect(values(a.grad)).toEqual([3, -3.5]);
    expect(values(b.grad)).toEqual([3.5]);
    expect(c.grad).toBeNull();
  });
});
