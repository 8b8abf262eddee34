import { clamp, detach, gt, lt, mul, neg, onesLike, sign, sub, where, type Tensor } from '@backstep/tensor';
import { nextStep, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBool, checkLr, checkPair } from './validate.js';

/** Rprop hyperparameters (PyTorch 1.13 names, camelCase). */
export interface RpropOptions {
  /** Learning rate: the initial step size (default 1e-2). */
  lr?: number;
  /** Multiplicative decrease and increase factors `[etaminus, etaplus]` (default [0.5, 1.2]). */
  etas?: [number, number];
  /** Minimal and maximal step sizes (default [1e-6, 50]). */
  stepSizes?: [number, number];
  /** Maximize the objective (default false). */
  maximize?: boolean;
}

/** The hyperparameters every Rprop param group holds. */
export type RpropHyper = Required<RpropOptions>;

/** Checks Rprop hyperparameters. */
export function validateRprop(g: Record<string, unknown>): void {
  checkLr(g);
  const [minus, plus] = checkPair(g, 'etas');
  if (!(minus > 0 && minus < 1 && plus > 1)) throw new RangeError(`Invalid eta values: ${minus}, ${plus}`);
  const [lo, hi] = checkPair(g, 'stepSizes');
  if (!(lo >= 0 && hi >= lo)) throw new RangeError(`Invalid stepSizes values: ${lo}, ${hi} (expected 0 <= min <= max)`);
  checkBool(g, 'maximize');
}

/**
 * The composed Rprop update (torch 1.13 `_single_tensor_rprop`): the sign of `g·prev` scales
 * each step size by etaplus/etaminus/1 (clamped to `stepSizes`); where the sign flipped the
 * gradient is zeroed; `p -= sign(g)·stepSize; prev = g`.
 */
export function rpropUpdate(p: Param, grad: Tensor, state: ParamState, h: RpropHyper): void {
  const prev = stateTensor(state, 'prev', p);
  const stepSize = stateTensor(state, 'stepSize', p, h.lr);
  nextStep(state, p);
  const [etaminus, etaplus] = h.etas;
  const [minStep, maxStep] = h.stepSizes;
  p.engine.tidy(() => {
    let g = detach(grad);
    if (h.maximize) g = neg(g);
    const s = sign(mul(g, prev));
    const one = onesLike(g);
    const factor = where(gt(s, 0), etaplus, where(lt(s, 0), etaminus, one));
    const ss = clamp(mul(stepSize, factor), { min: minStep, max: maxStep });
    const gz = where(lt(s, 0), 0, g);
    stepSize.assignData(ss);
    p.assignData(sub(detach(p), mul(sign(gz), ss)));
    prev.assignData(gz);
  });
}

/** Rprop (`torch.optim.Rprop`, 1.13). State per parameter: `step`, `prev`, `stepSize`. */
export class Rprop extends Optimizer<RpropHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<RpropOptions>, options: RpropOptions = {}) {
    const o = options ?? {};
    super(params as ParamsInput<RpropHyper>, {
      lr: o.lr ?? 1e-2,
      etas: o.etas ?? [0.5, 1.2],
      stepSizes: o.stepSizes ?? [1e-6, 50],
      maximize: o.maximize ?? false,
    });
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateRprop(group);
  }

  protected override stateSchema(): StateSchema {
    return { step: 'scalar', prev: 'param', stepSize: 'param' };
  }

  protected override updateGroup(group: ParamGroup<RpropHyper>): void {
    for (const p of this.paramsWithGrad(group)) rpropUpdate(p, p.grad!, this.stateOf(p), group);
  }
}
