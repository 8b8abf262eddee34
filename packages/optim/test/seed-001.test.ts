/**
 * Seed 001 ("connection between loss.backward() and optimizer.step()") end to end: gradients by
 * autograd, updates by the real `SGD`, on the fused and the composed path, compared with the
 * PyTorch golden run `e2e/poly_sgd.json` in float32 and float64.
 */
import { registerAutograd } from '@backstep/autograd';
import { add, mul, pow, tensor, type DType, type Engine } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { SGD } from '../src/index.js';
import { loadGolden, type Tol } from '../../../tools/testing/golden.js';
import { expectClose, makeEngine, vals } from './helpers.js';

interface PolyStep {
  z: number;
  gradX: number;
  gradY: number;
  xAfter: number;
  yAfter: number;
}

interface PolyCase {
  x0: number;
  y0: number;
  options: { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean };
  steps: number;
  tolerance: Record<'float32' | 'float64', Tol>;
  float32: { perStep: PolyStep[] };
  float64: { perStep: PolyStep[] };
}

function engineWithAutograd(fused: boolean): Engine {
  const engine = makeEngine(fused);
  registerAutograd(engine);
  return engine;
}

describe.each([false, true])('seed 001 with autograd and SGD (fused kernels: %s)', (fused) => {
  it('z = 3x² + y³ at x=1, y=2: backward gives 6 and 12, SGD(lr 0.1).step() gives x=0.4, y=0.8', () => {
    const engine = engineWithAutograd(fused);
    const x = tensor([1.0], { engine, requiresGrad: true });
    const y = tensor([2.0], { engine, requiresGrad: true });
    const z = add(mul(pow(x, 2), 3), pow(y, 3));
    expect(x.grad).toBeNull();
    expect(y.grad).toBeNull();
    z.backward();
    expect(vals(x.grad)).toEqual([6]); // dz/dx = 6x
    expect(vals(y.grad)).toEqual([12]); // dz/dy = 3y²
    const optimizer = new SGD([x, y], { lr: 0.1 });
    optimizer.step();
    // 1 - 0.1·6 = 0.4, 2 - 0.1·12 = 0.8 (float32 values: the nearest floats)
    expectClose(vals(x), [0.4], { rtol: 0, atol: 1e-7 }, 'x');
    expectClose(vals(y), [0.8], { rtol: 0, atol: 1e-7 }, 'y');
  });

  describe.each(['float32', 'float64'] as const)('%s', (dtype: DType) => {
    it('three steps (zeroGrad, forward, backward, step) match PyTorch (e2e/poly_sgd.json)', () => {
      const c = loadGolden<PolyCase>('e2e/poly_sgd.json');
      const engine = engineWithAutograd(fused);
      const x = tensor([c.x0], { engine, dtype, requiresGrad: true });
      const y = tensor([c.y0], { engine, dtype, requiresGrad: true });
      const opt = new SGD([x, y], c.options);
      const tol = c.tolerance[dtype as 'float32' | 'float64'];
      const run = c[dtype as 'float32' | 'float64'];
      expect(run.perStep.length).toBe(c.steps);
      run.perStep.forEach((s, k) => {
        opt.zeroGrad();
        const z = add(mul(pow(x, 2), 3), pow(y, 3));
        z.backward();
        expectClose(vals(z), [s.z], tol, `z step ${k}`);
        expectClose(vals(x.grad), [s.gradX], tol, `x.grad step ${k}`);
        expectClose(vals(y.grad), [s.gradY], tol, `y.grad step ${k}`);
        opt.step();
        expectClose(vals(x), [s.xAfter], tol, `x step ${k}`);
        expectClose(vals(y), [s.yAfter], tol, `y step ${k}`);
      });
      // hand-derived: x_{k+1} = x_k - 0.1·6·x_k = 0.4·x_k -> 0.4, 0.16, 0.064
      expectClose(vals(x), [0.064], { rtol: 1e-6, atol: 0 }, 'x after 3 steps (hand)');
    });
  });

  it('y = 100·x, loss = y.sum(): x.grad = [100, 100]; SGD(lr 0.001).step() gives [0.9, 1.9]', () => {
    const engine = engineWithAutograd(fused);
    const x = tensor([1, 2], { engine, requiresGrad: true });
    const y = mul(x, 100);
    const loss = y.sum();
    expect(x.grad).toBeNull();
    loss.backward();
    expect(vals(x.grad)).toEqual([100, 100]);
    const optim = new SGD([x], { lr: 0.001 });
    expect(vals(x)).toEqual([1, 2]);
    optim.step();
    expectClose(vals(x), [0.9, 1.9], { rtol: 0, atol: 1e-6 }, 'x');
    expect(x.requiresGrad).toBe(true); // still the same leaf, as PyTorch prints it
  });
});
