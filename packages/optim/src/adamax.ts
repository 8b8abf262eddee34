import { abs, add, detach, maximum, mul, type Tensor } from '@backstep/tensor';
import { addcdiv, ema, nextStep, penalizedGrad, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBetas, checkBool, checkEps, checkLr, checkNonNegative } from './validate.js';

/** Adamax hyperparameters (PyTorch 1.13 names, camelCase). */
export interface AdamaxOptions {
  /** Learning rate (default 2e-3). */
  lr?: number;
  /** Coefficients of the running average and the exponentially weighted infinity norm (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the infinity norm for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Maximize the objective (default false). */
  maximize?: boolean;
}

/** The hyperparameters every Adamax param group holds. */
export type AdamaxHyper = Required<AdamaxOptions>;

/** Checks Adamax hyperparameters. */
export function validateAdamax(g: Record<string, unknown>): void {
  checkLr(g);
  checkEps(g);
  checkBetas(g);
  checkNonNegative(g, 'weightDecay');
  checkBool(g, 'maximize');
}

/**
 * The composed Adamax update (torch 1.13 `_single_tensor_adamax`):
 * `m = β1·m + (1-β1)·g; u = max(β2·u, |g| + eps); p -= lr/(1-β1^t) · m/u`.
 */
export function adamaxUpdate(p: Param, grad: Tensor, state: ParamState, h: AdamaxHyper): void {
  const expAvg = stateTensor(state, 'expAvg', p);
  const expInf = stateTensor(state, 'expInf', p);
  const step = nextStep(state, p);
  const [beta1, beta2] = h.betas;
  p.engine.tidy(() => {
    const pv = detach(p);
    const g = penalizedGrad(pv, grad, h.weightDecay, h.maximize);
    const m = ema(expAvg, g, beta1);
    const u = maximum(mul(expInf, beta2), add(abs(g), h.eps));
    expAvg.assignData(m);
    expInf.assignData(u);
    const clr = h.lr / (1 - beta1 ** step);
    p.assignData(addcdiv(pv, m, u, -clr));
  });
}

/** Adamax (`torch.optim.Adamax`, 1.13): Adam with the infinity norm. State: `step`, `expAvg`, `expInf`. */
export class Adamax extends Optimizer<AdamaxHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<AdamaxOptions>, options: AdamaxOptions = {}) {
    const o = options ?? {};
    super(params as ParamsInput<AdamaxHyper>, {
      lr: o.lr ?? 2e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateAdamax(group);
  }

  protected override stateSchema(): StateSchema {
    return { step: 'scalar', expAvg: 'param', expInf: 'param' };
  }

  protected override updateGroup(group: ParamGroup<AdamaxHyper>): void {
    for (const p of this.paramsWithGrad(group)) adamaxUpdate(p, p.grad!, this.stateOf(p), group);
  }
}
