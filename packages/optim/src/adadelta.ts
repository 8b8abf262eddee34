import { add, detach, div, mul, sqrt, type Tensor } from '@backstep/tensor';
import { addcmul, nextStep, penalizedGrad, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { check, checkBool, checkEps, checkLr, checkNonNegative } from './validate.js';

/** Adadelta hyperparameters (PyTorch 1.13 names, camelCase). */
export interface AdadeltaOptions {
  /** Coefficient that scales the delta before it is applied (default 1.0). */
  lr?: number;
  /** Coefficient of the running averages of squared gradients and updates (default 0.9). */
  rho?: number;
  /** Added inside the square roots for numerical stability (default 1e-6). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Maximize the objective (default false). */
  maximize?: boolean;
}

/** The hyperparameters every Adadelta param group holds. */
export type AdadeltaHyper = Required<AdadeltaOptions>;

/** Checks Adadelta hyperparameters. */
export function validateAdadelta(g: Record<string, unknown>): void {
  checkLr(g);
  check(g['rho'], (v) => v >= 0 && v <= 1, 'Invalid rho value');
  checkEps(g);
  checkNonNegative(g, 'weightDecay');
  checkBool(g, 'maximize');
}

/**
 * The composed Adadelta update (torch 1.13 `_single_tensor_adadelta`):
 * `sq = ρ·sq + (1-ρ)·g²; δ = sqrt(acc + eps)/sqrt(sq + eps)·g; acc = ρ·acc + (1-ρ)·δ²; p -= lr·δ`.
 */
export function adadeltaUpdate(p: Param, grad: Tensor, state: ParamState, h: AdadeltaHyper): void {
  const squareAvg = stateTensor(state, 'squareAvg', p);
  const accDelta = stateTensor(state, 'accDelta', p);
  nextStep(state, p);
  p.engine.tidy(() => {
    const pv = detach(p);
    const g = penalizedGrad(pv, grad, h.weightDecay, h.maximize);
    const sq = addcmul(mul(squareAvg, h.rho), g, g, 1 - h.rho);
    const std = sqrt(add(sq, h.eps));
    const delta = mul(div(sqrt(add(accDelta, h.eps)), std), g);
    const acc = addcmul(mul(accDelta, h.rho), delta, delta, 1 - h.rho);
    squareAvg.assignData(sq);
    accDelta.assignData(acc);
    p.assignData(add(pv, mul(delta, -h.lr)));
  });
}

/** Adadelta (`torch.optim.Adadelta`, 1.13). State per parameter: `step`, `squareAvg`, `accDelta`. */
export class Adadelta extends Optimizer<AdadeltaHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<AdadeltaOptions>, options: AdadeltaOptions = {}) {
    const o = options ?? {};
    super(params as ParamsInput<AdadeltaHyper>, {
      lr: o.lr ?? 1.0,
      rho: o.rho ?? 0.9,
      eps: o.eps ?? 1e-6,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateAdadelta(group);
  }

  protected override stateSchema(): StateSchema {
    return { step: 'scalar', squareAvg: 'param', accDelta: 'param' };
  }

  protected override updateGroup(group: ParamGroup<AdadeltaHyper>): void {
    for (const p of this.paramsWithGrad(group)) adadeltaUpdate(p, p.grad!, this.stateOf(p), group);
  }
}
