import { add, cast, cat, detach, mul, reshape, slice, zeros, type Engine, type Tensor } from '@backstep/tensor';
import type { DirectionalEvaluate } from './lbfgs-line-search-run.js';
import type { LbfgsGen } from './lbfgs-reads.js';
import type { Num } from './lbfgs-scalars.js';
import type { StepTensors } from './lbfgs-step-tensors.js';
import type { Param } from './types.js';

/**
 * LBFGS's flat vectors: the parameters' gradients gathered into one flat tensor, updates
 * `p += t·update` written back per parameter, and `x + alpha·u` rounded as PyTorch rounds it.
 */

const FLOAT64_SUPPORT = new WeakMap<Engine, Map<string, boolean>>();

/** Whether `backend` of `engine` can hold float64 tensors (WebGPU cannot); probed once. */
function holdsFloat64(engine: Engine, backend: string): boolean {
  let m = FLOAT64_SUPPORT.get(engine);
  if (m === undefined) FLOAT64_SUPPORT.set(engine, (m = new Map()));
  let ok = m.get(backend);
  if (ok === undefined) {
    try {
      engine.tidy(() => {
        cast(zeros([1], { dtype: 'float32', backend, engine }), 'float64');
      });
      ok = true;
    } catch {
      ok = false;
    }
    m.set(backend, ok);
  }
  return ok;
}

/**
 * `x + alpha·u` (`x.add_(u, alpha=alpha)` in torch). PyTorch's CPU kernel computes it with a
 * fused multiply-add, i.e. rounded once; for float32 that is reproduced by computing in float64
 * (the product of two float32 values is exact there) and rounding to float32, where the backend
 * can hold float64. A backend without float64 (WebGPU) may register the optional kernel `'axpy'`
 * (inputs `[x, u]` of one shape, attr `alpha`; returns a new tensor `x + alpha·u` rounded once),
 * which is used for float32 then. Otherwise (float64 tensors, or neither) it is `x + alpha·u`
 * with two roundings. The difference matters: LBFGS on a curved objective amplifies it.
 */
export function axpy(x: Tensor, u: Tensor, alpha: number): Tensor {
  if (x.dtype === 'float32') {
    if (holdsFloat64(x.engine, x.backendName)) {
      return cast(add(cast(x, 'float64'), mul(cast(u, 'float64'), Math.fround(alpha))), 'float32');
    }
    if (x.engine.hasKernel('axpy', x.backendName)) return x.engine.runKernel('axpy', [x, u], { alpha: Math.fround(alpha) })[0]!;
  }
  return add(x, mul(u, alpha));
}

/** The total number of elements of `params` (the length of the flat vectors). */
export function flatNumel(params: readonly Param[]): number {
  return params.reduce((n, p) => n + p.numel(), 0);
}

/** torch's `_gather_flat_grad`: the gradients (zeros for `grad === null`) as one flat vector. */
export function gatherFlatGrad(params: readonly Param[]): Tensor {
  const p0 = params[0]!;
  return p0.engine.tidy(() =>
    cat(
      params.map((p) =>
        p.grad === null
          ? zeros([p.numel()], { dtype: p.dtype, backend: p.backendName, engine: p.engine })
          : reshape(detach(p.grad), [p.numel()]),
      ),
      0,
    ),
  );
}

/** torch's `_add_grad(step_size, update)`: `p += t · update[offset:offset+numel].view_as(p)`. */
export function addGrad(params: readonly Param[], t: number, update: Tensor): void {
  let offset = 0;
  for (const p of params) {
    const n = p.numel();
    p.engine.tidy(() => {
      p.assignData(axpy(detach(p), reshape(slice(update, 0, offset, offset + n), p.shape), t));
    });
    offset += n;
  }
}

/**
 * torch's `_directional_evaluate` for the line search along `d` from the parameters' values
 * `xInit`: `params += t·d`, the closure, the flat gradient (owned by `tensors`), `params = xInit`.
 */
export function directionalEvaluate(params: readonly Param[], d: Tensor, xInit: readonly Tensor[], tensors: StepTensors): DirectionalEvaluate {
  return function* (step: Num): LbfgsGen<[number, Tensor]> {
    addGrad(params, step.v, d);
    const f: number = yield { kind: 'closure' };
    const g = tensors.own(() => gatherFlatGrad(params));
    params.forEach((p, i) => p.assignData(xInit[i]!));
    return [f, g];
  };
}
