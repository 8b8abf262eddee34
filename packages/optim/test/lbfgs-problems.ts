/** Problems and engines of the LBFGS tests (closures over small objectives, an autograd engine). */
import { registerAutograd } from '@backstep/autograd';
import { detach, mul, pow, sub, sum, tensor, type Engine, type Tensor } from '@backstep/tensor';
import { LBFGS } from '../src/index.js';
import { makeEngine, vals } from './helpers.js';

/** A CPU engine (composed optimizer path) with autograd installed. */
export function autogradEngine(): Engine {
  const engine = makeEngine(false);
  registerAutograd(engine);
  return engine;
}

/** closure for f(x) = sum((x - c)^2) via autograd, counting calls. */
export function quadClosure(opt: LBFGS, x: Tensor, c: number[], calls: number[][]): () => Tensor {
  return () => {
    opt.zeroGrad();
    const target = tensor(c, { engine: x.engine, dtype: x.dtype });
    const loss = sum(pow(sub(x, target), 2));
    loss.backward();
    calls.push(vals(x));
    return loss;
  };
}

/**
 * f = sum(h (x - c)²) / 2 with the gradient h (x - c) set by formula in tidy scopes, so the
 * closure itself holds no tensors (memory tests).
 */
export function formulaProblem(engine: Engine, options: ConstructorParameters<typeof LBFGS>[1]) {
  const c = tensor([1, -2, 3, -4, 5, -6], { engine, dtype: 'float32' });
  const h = tensor([1, 10, 100, 3, 30, 300], { engine, dtype: 'float32' });
  const x = tensor([0, 0, 0, 0, 0, 0], { engine, dtype: 'float32', requiresGrad: true });
  const opt = new LBFGS([x], options);
  const closure = (): number => {
    opt.zeroGrad();
    x.grad = engine.tidy(() => mul(h, sub(detach(x), c)));
    const loss = engine.tidy(() => sum(mul(mul(h, pow(sub(detach(x), c), 2)), 0.5)));
    const v = loss.item();
    loss.dispose();
    return v;
  };
  return { x, opt, closure, dispose: () => [c, h, x].forEach((t) => t.dispose()) };
}
