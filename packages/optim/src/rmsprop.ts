import { add, detach, mul, sqrt, type Tensor } from '@backstep/tensor';
import { addcdiv, addcmul, ema, nextStep, penalizedGrad, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBool, checkEps, checkLr, checkNonNegative } from './validate.js';

/** RMSprop hyperparameters (PyTorch 1.13 names, camelCase). */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance (default false). */
  centered?: boolean;
  /** Maximize the objective (default false). */
  maximize?: boolean;
}

/** The hyperparameters every RMSprop param group holds. */
export type RMSpropHyper = Required<RMSpropOptions>;

/** Checks RMSprop hyperparameters. */
export function validateRMSprop(g: Record<string, unknown>): void {
  checkLr(g);
  checkEps(g);
  checkNonNegative(g, 'momentum');
  checkNonNegative(g, 'weightDecay');
  checkNonNegative(g, 'alpha');
  checkBool(g, 'centered');
  checkBool(g, 'maximize');
}

/**
 * The composed RMSprop update (torch 1.13 `_single_tensor_rmsprop`):
 * `sq = α·sq + (1-α)·g²; avg = sqrt(sq [- ga²]) + eps; buf = μ·buf + g/avg; p -= lr·buf`
 * (or `p -= lr·g/avg` without momentum).
 */
export function rmspropUpdate(p: Param, grad: Tensor, state: ParamState, h: RMSpropHyper): void {
  const squareAvg = stateTensor(state, 'squareAvg', p);
  const buf = h.momentum > 0 ? stateTensor(state, 'momentumBuffer', p) : null;
  const gradAvg = h.centered ? stateTensor(state, 'gradAvg', p) : null;
  nextStep(state, p);
  p.engine.tidy(() => {
    const pv = detach(p);
    const g = penalizedGrad(pv, grad, h.weightDecay, h.maximize);
    const sq = addcmul(mul(squareAvg, h.alpha), g, g, 1 - h.alpha);
    squareAvg.assignData(sq);
    let avg: Tensor;
    if (gradAvg !== null) {
      const ga = ema(gradAvg, g, h.alpha);
      gradAvg.assignData(ga);
      avg = sqrt(addcmul(sq, ga, ga, -1));
    } else {
      avg = sqrt(sq);
    }
    avg = add(avg, h.eps);
    if (buf !== null) {
      const b = addcdiv(mul(buf, h.momentum), g, avg, 1);
      buf.assignData(b);
      p.assignData(add(pv, mul(b, -h.lr)));
    } else {
      p.assignData(addcdiv(pv, g, avg, -h.lr));
    }
  });
}

/**
 * RMSprop (`torch.optim.RMSprop`, 1.13). State per parameter: `step`, `squareAvg`
 * (+ `momentumBuffer` when momentum > 0, + `gradAvg` when centered).
 */
export class RMSprop extends Optimizer<RMSpropHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<RMSpropOptions>, options: RMSpropOptions = {}) {
    const o = options ?? {};
    super(params as ParamsInput<RMSpropHyper>, {
      lr: o.lr ?? 1e-2,
      alpha: o.alpha ?? 0.99,
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      momentum: o.momentum ?? 0,
      centered: o.centered ?? false,
      maximize: o.maximize ?? false,
    });
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateRMSprop(group);
  }

  protected override stateSchema(group: Record<string, unknown>): StateSchema {
    const s: StateSchema = { step: 'scalar', squareAvg: 'param' };
    if ((group['momentum'] as number) > 0) s['momentumBuffer'] = 'param';
    if (group['centered'] === true) s['gradAvg'] = 'param';
    return s;
  }

  protected override updateGroup(group: ParamGroup<RMSpropHyper>): void {
    for (const p of this.paramsWithGrad(group)) rmspropUpdate(p, p.grad!, this.stateOf(p), group);
  }
}
