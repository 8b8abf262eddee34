/**
 * Seed 001 ("connection between loss.backward() and optimizer.step()"): the gradients it prints,
 * derived by hand.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { add, mul, pow, sub, sum, tensor } from '@backstep/tensor';
import { noGrad } from '../src/index.js';
import { setup, values } from '../../../tools/testing/cpu-setup.js';

beforeAll(setup);

describe('seed 001', () => {
  it('z = 3x² + y³ at x=1, y=2: x.grad = 6, y.grad = 12; z.grad stays null', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = tensor([2.0], { requiresGrad: true });
    const z = add(mul(pow(x, 2), 3), pow(y, 3));
    expect(x.grad).toBeNull();
    expect(y.grad).toBeNull();
    z.backward();
    expect(values(x.grad)).toEqual([6]); // dz/dx = 6x
    expect(values(y.grad)).toEqual([12]); // dz/dy = 3y²
    expect(z.grad).toBeNull();
    // the SGD step of the seed: x - 0.1·6 = 0.4, y - 0.1·12 = 0.8
    noGrad(() => {
      x.sub_(mul(x.grad!, 0.1));
      y.sub_(mul(y.grad!, 0.1));
    });
    expect(values(x)[0]).toBeCloseTo(0.4, 6);
    expect(values(y)[0]).toBeCloseTo(0.8, 6);
  });

  it('backward twice with retainGraph accumulates: 12 and 24', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = tensor([2.0], { requiresGrad: true });
    const z = add(mul(pow(x, 2), 3), pow(y, 3));
    z.backward(undefined, { retainGraph: true });
    const gx = x.grad;
    z.backward();
    expect(values(x.grad)).toEqual([12]);
    expect(values(y.grad)).toEqual([24]);
    expect(x.grad).toBe(gx); // accumulated in place: the .grad tensor keeps its identity
  });

  it('y = 100x, loss = y.sum() → x.grad = [100, 100]; SGD(lr 0.001) gives [0.9, 1.9]', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 100);
    const loss = y.sum();
    expect(x.grad).toBeNull();
    loss.backward();
    expect(values(x.grad)).toEqual([100, 100]);
    noGrad(() => x.sub_(mul(x.grad!, 0.001)));
    const v = values(x);
    expect(v[0]).toBeCloseTo(0.9, 6);
    expect(v[1]).toBeCloseTo(1.9, 6);
  });

  it('pred.clone().detach() cuts the graph: no gradient reaches the weights', () => {
    const w = tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
    const xin = tensor([[1, 2]]);
    const pred = xin.matmul(w);
    const cut = pred.clone().detach();
    expect(cut.requiresGrad).toBe(false);
    expect(cut.gradFn).toBeNull();
    const target = tensor([[1, 1]]);
    const loss = sum(pow(sub(cut, target), 2));
    expect(() => loss.backward()).toThrow('element 0 of tensors does not require grad and does not have a gradFn');
    expect(w.grad).toBeNull();
    // without the detach the gradient flows: d/dW sum((xW - t)²) = xᵀ·2(xW - t)
    const loss2 = sum(pow(sub(xin.matmul(w), target), 2));
    loss2.backward();
    // xW = [4.5, -0.5]; 2(xW - t) = [7, -3]; xᵀ·[7, -3] = [[7, -3], [14, -6]]
    expect(values(w.grad)).toEqual([7, -3, 14, -6]);
  });
});
