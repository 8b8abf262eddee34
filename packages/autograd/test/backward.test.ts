/** backward(): errors, graph freeing, detach, grad mode, hooks, retainGrad, accumulation, names. */
import { beforeAll, describe, expect, it } from 'vitest';
import { add, exp, mul, ones, pow, sin, sum, tensor, zeros } from '@backstep/tensor';
import { enableGrad, isGradEnabled, noGrad, setGradEnabled } from '../src/index.js';
import { setup, values } from '../../../tools/testing/cpu-setup.js';

beforeAll(setup);

describe('backward errors', () => {
  it('implicit gradient only for one-element outputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => mul(x, 2).backward()).toThrow('grad can be implicitly created only for scalar outputs');
    const y = mul(x, 2);
    y.backward(tensor([1, 0.5]));
    expect(values(x.grad)).toEqual([2, 1]);
  });

  it('the gradient must have the output shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => mul(x, 2).backward(tensor([1, 2, 3]))).toThrow(/Mismatch in shape: grad_output\[0\] has a shape of \[3\] and output\[0\] has a shape of \[2\]/);
  });

  it('backward on a tensor that does not require grad', () => {
    expect(() => tensor([1]).backward()).toThrow('element 0 of tensors does not require grad and does not have a gradFn');
  });

  it('a second backward through a freed graph throws; retainGraph keeps it', () => {
    const x = tensor([3], { requiresGrad: true });
    const y = mul(x, x);
    y.backward();
    expect(values(x.grad)).toEqual([6]);
    expect(() => y.backward()).toThrow(/Trying to backward through the graph a second time.*retainGraph: true/);
    expect(values(x.grad)).toEqual([6]); // nothing was accumulated by the failed call
    const z = exp(x);
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(values(x.grad)[0]).toBeCloseTo(6 + 2 * Math.exp(3), 4);
  });

  it('a leaf can be the root: x.backward() gives ones', () => {
    const x = tensor([5], { requiresGrad: true });
    x.backward();
    expect(values(x.grad)).toEqual([1]);
  });
});

describe('graph recording', () => {
  it('names nodes like PyTorch and marks outputs', () => {
    const x = tensor([[1, 2]], { requiresGrad: true });
    expect(x.isLeaf).toBe(true);
    expect(mul(x, 2).gradFn?.name).toBe('MulBackward');
    expect(sum(x).gradFn?.name).toBe('SumBackward');
    expect(x.matmul(tensor([[1], [1]])).isLeaf).toBe(false);
    expect(x.exp().requiresGrad).toBe(true);
  });

  it('non-differentiable and non-float outputs do not require grad', () => {
    const x = tensor([1, 3, 2], { requiresGrad: true });
    for (const t of [x.argmax(), x.gt(1), x.isnan(), x.int(), x.bool(), x.eq(x)]) {
      expect(t.requiresGrad).toBe(false);
      expect(t.gradFn).toBeNull();
    }
    expect(x.double().requiresGrad).toBe(true);
  });

  it('detach cuts the graph and shares the values', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = mul(x, 3).detach();
    expect(d.requiresGrad).toBe(false);
    expect(values(d)).toEqual([3, 6]);
    const y = add(mul(d, x), x); // dy/dx = d + 1 (d is a constant)
    sum(y).backward();
    expect(values(x.grad)).toEqual([4, 7]);
  });

  it('inputs that do not require grad get no gradient', () => {
    const w = tensor([2], { requiresGrad: true });
    const c = tensor([5]);
    sum(mul(w, c)).backward();
    expect(values(w.grad)).toEqual([5]);
    expect(c.grad).toBeNull();
  });
});

describe('grad mode', () => {
  it('noGrad records nothing, nests, and restores on throw', () => {
    const x = tensor([1], { requiresGrad: true });
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const inner = enableGrad(() => mul(x, 2));
      expect(inner.requiresGrad).toBe(true);
      expect(isGradEnabled()).toBe(false);
      return mul(x, 2);
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('setGradEnabled switches recording globally', () => {
    const x = tensor([1], { requiresGrad: true });
    setGradEnabled(false);
    try {
      expect(mul(x, 2).requiresGrad).toBe(false);
    } finally {
      setGradEnabled(true);
    }
    expect(mul(x, 2).requiresGrad).toBe(true);
  });

  it('noGrad allows in-place updates of leaves; outside it they are refused', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.add_(1)).toThrow(/leaf tensor that requires grad/);
    noGrad(() => w.add_(1));
    expect(values(w)).toEqual([2, 3]);
  });

  it('noGrad rejects async functions', () => {
    expect(() => noGrad(async () => 1)).toThrow(/synchronous/);
    expect(isGradEnabled()).toBe(true);
  });
});

describe('hooks and retainGrad', () => {
  it('a hook sees the gradient and can replace it', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 3);
    const seen: number[][] = [];
    y.registerHook((g) => {
      seen.push(values(g));
      return mul(g, 10);
    });
    sum(mul(y, y)).backward(); // dL/dy = 2y = [6, 12]; hooked ×10; dL/dx = 3·[60, 120]
    expect(seen).toEqual([[6, 12]]);
    expect(values(x.grad)).toEqual([180, 360]);
  });

  it('leaf hooks run before accumulation; removed hooks do not run', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.registerHook((g) => mul(g, 2));
    sum(mul(x, 4)).backward();
    expect(values(x.grad)).toEqual([8, 8]);
    h.remove();
    sum(mul(x, 4)).backward();
    expect(values(x.grad)).toEqual([12, 12]);
  });

  it('the hook sees the summed gradient of a tensor used twice', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = mul(x, 1);
    const seen: number[] = [];
    y.registerHook((g) => void seen.push(values(g)[0]!));
    sum(add(mul(y, 3), mul(y, y))).backward(); // dL/dy = 3 + 2y = 7
    expect(seen).toEqual([7]);
  });

  it('retainGrad keeps .grad of non-leaves (accumulating); others stay null', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 2).retainGrad();
    const z = exp(y);
    const loss = sum(z);
    loss.backward(undefined, { retainGraph: true });
    expect(y.grad).not.toBeNull();
    expect(values(y.grad)[0]).toBeCloseTo(Math.exp(2), 4);
    expect(values(y.grad)[1]).toBeCloseTo(Math.exp(4), 3);
    expect(z.grad).toBeNull();
    loss.backward();
    expect(values(y.grad)[0]).toBeCloseTo(2 * Math.exp(2), 4);
  });
});

describe('accumulation', () => {
  it('gradients from several backward calls add up; a tensor used twice sums its contributions', () => {
    const x = tensor([1, -2], { requiresGrad: true });
    sum(add(mul(x, x), mul(x, 3))).backward(); // 2x + 3
    expect(values(x.grad)).toEqual([5, -1]);
    sum(sin(zeros([2]).add(x))).backward();
    expect(values(x.grad)[0]).toBeCloseTo(5 + Math.cos(1), 6);
    expect(values(x.grad)[1]).toBeCloseTo(-1 + Math.cos(-2), 6);
  });

  it('zeroing by setting .grad = null restarts accumulation', () => {
    const x = tensor([3], { requiresGrad: true });
    sum(pow(x, 2)).backward();
    x.grad!.dispose();
    x.grad = null;
    sum(pow(x, 2)).backward();
    expect(values(x.grad)).toEqual([6]);
  });

  it('an assigned .grad is accumulated into', () => {
    const x = tensor([1, 1], { requiresGrad: true });
    x.grad = ones([2]);
    sum(mul(x, 2)).backward();
    expect(values(x.grad)).toEqual([3, 3]);
  });
});
