import { add, detach, div, fullLike, mul, neg, zerosLike, type DType, type Tensor } from '@backstep/tensor';
import type { Param, ParamState } from './types.js';

/**
 * Small building blocks of the composed (unfused) updates, written like torch's in-place ops
 * they stand for. Scalars are JS numbers (cast to the tensor's dtype by the ops, as PyTorch
 * casts Python scalars); results are new tensors that the caller stores with `assignData`.
 */

/** A scalar rounded to `dtype` (PyTorch keeps scalar state in 0-d tensors of the run's dtype). */
export function roundTo(dtype: DType, v: number): number {
  return dtype === 'float32' ? Math.fround(v) : v;
}

/** `t.mul(beta).add(x, alpha = 1 - beta)`: an exponential moving average. */
export function ema(t: Tensor, x: Tensor, beta: number): Tensor {
  return add(mul(t, beta), mul(x, 1 - beta));
}

/**
 * The gradient as torch's single-tensor updates use it: `-grad` when `maximize`, then plus the L2
 * penalty `weightDecay·p` (`grad.add(param, alpha=weight_decay)`). `pv` is the detached parameter.
 */
export function penalizedGrad(pv: Tensor, grad: Tensor, weightDecay: number, maximize = false): Tensor {
  let g = detach(grad);
  if (maximize) g = neg(g);
  if (weightDecay !== 0) g = add(g, mul(pv, weightDecay));
  return g;
}

/**
 * Adam's moment updates `m = β1·m + (1-β1)·g`, `v = β2·v + (1-β2)·g²`, stored into the state
 * tensors `expAvg` / `expAvgSq`; returns the new `[m, v]`.
 */
export function adamMoments(expAvg: Tensor, expAvgSq: Tensor, g: Tensor, beta1: number, beta2: number): [Tensor, Tensor] {
  const m = ema(expAvg, g, beta1);
  const v = addcmul(mul(expAvgSq, beta2), g, g, 1 - beta2);
  expAvg.assignData(m);
  expAvgSq.assignData(v);
  return [m, v];
}

/** `x.addcmul(a, b, value)`: `x + value·a·b`. */
export function addcmul(x: Tensor, a: Tensor, b: Tensor, value: number): Tensor {
  return add(x, mul(mul(a, value), b));
}

/** `x.addcdiv(a, b, value)`: `x + value·a / b`. */
export function addcdiv(x: Tensor, a: Tensor, b: Tensor, value: number): Tensor {
  return add(x, div(mul(a, value), b));
}

/** Increments the state's `step` (a float of the parameter's dtype) and returns it. */
export function nextStep(state: ParamState, p: Param): number {
  const step = roundTo(p.dtype, ((state['step'] as number | undefined) ?? 0) + 1);
  state['step'] = step;
  return step;
}

/** The state tensor `key`, created (zeros, or filled with `fill`) and kept on first use. */
export function stateTensor(state: ParamState, key: string, p: Param, fill = 0): Tensor {
  let t = state[key] as Tensor | null | undefined;
  if (t === undefined || t === null) {
    t = p.engine.keep(fill === 0 ? zerosLike(p) : fullLike(p, fill));
    state[key] = t;
  }
  return t;
}
