import { describe, expect, it } from 'vitest';
import { nn, tensor, getEngine, noGrad } from '../src/index.js';

describe('@backstep/backstep umbrella', () => {
  it('needs no setup: CPU backend and autograd are registered on import', () => {
    expect(getEngine().backendName).toBe('cpu');
    const x = tensor([1], { requiresGrad: true });
    const y = tensor([2], { requiresGrad: true });
    x.pow(2).mul(3).add(y.pow(3)).backward();
    expect(x.grad!.tolist()).toEqual([6]);
    expect(y.grad!.tolist()).toEqual([12]);
  });

  it('exposes nn as a namespace', () => {
    const lin = new nn.Linear(3, 2);
    expect(lin.weight.shape).toEqual([2, 3]);
    const out = noGrad(() => lin.forward(tensor([[1, 2, 3]])));
    expect(out.shape).toEqual([1, 2]);
  });
});
