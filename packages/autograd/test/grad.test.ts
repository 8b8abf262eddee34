/** Functional grad(), higher-order gradients (createGraph) and gradcheck itself. */
import { beforeAll, describe, expect, it } from 'vitest';
import { add, detach, exp, mul, pow, sin, sum, tensor, type Tensor } from '@backstep/tensor';
import { grad, gradcheck } from '../src/index.js';
import { exact } from './inputs.js';
import { setup, values } from '../../../tools/testing/cpu-setup.js';

beforeAll(setup);

describe('grad()', () => {
  it('returns gradients without touching .grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = tensor([3, 4], { requiresGrad: true });
    const out = sum(mul(x, y));
    const [gx, gy] = grad(out, [x, y]);
    expect(values(gx)).toEqual([3, 4]);
    expect(values(gy)).toEqual([1, 2]);
    expect(x.grad).toBeNull();
    expect(y.grad).toBeNull();
  });

  it('w.r.t. a non-leaf, with gradOutputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = mul(x, 2);
    const out = mul(h, h);
    const [gh] = grad(out, h, { gradOutputs: tensor([1, 10]) });
    expect(values(gh)).toEqual([4, 80]); // 2h · v
  });

  it('several outputs sum their vector-Jacobian products', () => {
    const x = tensor([2], { requiresGrad: true });
    const [g] = grad([mul(x, 3), mul(x, x)], [x]);
    expect(values(g)).toEqual([7]);
  });

  it('unused inputs: an error, or null with allowUnused', () => {
    const x = tensor([1], { requiresGrad: true });
    const z = tensor([1], { requiresGrad: true });
    expect(() => grad(sum(mul(x, 2)), [x, z])).toThrow(/appears to not have been used in the graph.*allowUnused/);
    const [gx, gz] = grad(sum(mul(x, 2)), [x, z], { allowUnused: true });
    expect(values(gx)).toEqual([2]);
    expect(gz).toBeNull();
    expect(() => grad(sum(mul(x, 2)), [tensor([1])])).toThrow('does not require grad');
  });

  it('frees the graph unless retainGraph', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = exp(x);
    grad(y, x, { retainGraph: true });
    grad(y, x);
    expect(() => grad(y, x)).toThrow(/backward through the graph a second time/);
  });
});

describe('higher-order gradients (createGraph)', () => {
  it('d²/dx² x³ = 6x via grad()', () => {
    const x = tensor([2, -1], { requiresGrad: true });
    const y = sum(pow(x, 3));
    const [g] = grad(y, x, { createGraph: true });
    expect(values(g)).toEqual([12, 3]); // 3x²
    expect(g!.requiresGrad).toBe(true);
    const [g2] = grad(sum(g!), x);
    expect(values(g2)).toEqual([12, -6]); // 6x
  });

  it('d²/dx² x³ = 6x via backward(createGraph) then backward of x.grad', () => {
    const x = tensor([3], { requiresGrad: true });
    pow(x, 3).backward(undefined, { createGraph: true });
    const g = x.grad!;
    expect(values(g)).toEqual([27]);
    x.grad = null;
    g.backward();
    expect(values(x.grad)).toEqual([18]);
  });

  it('third derivative of sin through exp-free chains, and mixed partials', () => {
    const x = tensor([0.5], { requiresGrad: true });
    const [d1] = grad(sin(x), x, { createGraph: true });
    const [d2] = grad(d1!, x, { createGraph: true });
    const [d3] = grad(d2!, x);
    expect(values(d3)[0]).toBeCloseTo(-Math.cos(0.5), 6);
    const a = tensor([2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const f = mul(mul(a, a), b); // ∂f/∂a = 2ab, ∂²f/∂b∂a = 2a
    const [fa] = grad(f, a, { createGraph: true });
    const [fab] = grad(fa!, b);
    expect(values(fab)).toEqual([4]);
  });
});

describe('gradcheck', () => {
  it('passes for a correct composite function', () => {
    const x = exact([0.3, -0.7, 1.1], [3]);
    const y = exact([0.5, 0.2, -0.4], [3]);
    expect(gradcheck((a, b) => add(mul(exp(a), b), pow(a, 2)), [x, y])).toBe(true);
  });

  it('detects a wrong gradient and names the element and values', () => {
    const x = exact([0.5, 2], [2]);
    // x · detach(x) has derivative 2x, but autograd only sees the first factor: x
    const wrong = (t: Tensor): Tensor => mul(t, detach(t));
    expect(() => gradcheck(wrong, [x])).toThrow(/Jacobian mismatch for output 0 with respect to input 0: d output\[0\] \/ d input\[0\].*numerical (1|0\.999)\d* vs analytical 0\.5 /);
  });

  it('requires float64 inputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck((t) => mul(t, 2), [x])).toThrow(/float64/);
    expect(() => gradcheck((t) => mul(t, 2), [tensor([1], { dtype: 'float64' })])).toThrow(/none of the inputs requires grad/);
  });
});
