import { add, detach, sqrt, type Tensor } from '@backstep/tensor';
import { addcdiv, addcmul, nextStep, penalizedGrad, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBool, checkEps, checkLr, checkNonNegative } from './validate.js';

/** Adagrad hyperparameters (PyTorch 1.13 names, camelCase). */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Learning-rate decay: `clr = lr / (1 + (step - 1)·lrDecay)` (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps?: number;
  /** Maximize the objective (default false). */
  maximize?: boolean;
}

/** The hyperparameters every Adagrad param group holds. */
export type AdagradHyper = Required<AdagradOptions>;

/** Checks Adagrad hyperparameters. */
export function validateAdagrad(g: Record<string, unknown>): void {
  checkLr(g);
  checkNonNegative(g, 'lrDecay');
  checkNonNegative(g, 'weightDecay');
  checkNonNegative(g, 'initialAccumulatorValue');
  checkEps(g);
  checkBool(g, 'maximize');
}

/**
 * The composed Adagrad update (torch 1.13 `_single_tensor_adagrad`):
 * `sum += g²; p -= lr/(1 + (t-1)·lrDecay) · g / (sqrt(sum) + eps)`.
 */
export function adagradUpdate(p: Param, grad: Tensor, state: ParamState, h: AdagradHyper): void {
  const sum = stateTensor(state, 'sum', p, h.initialAccumulatorValue);
  const step = nextStep(state, p);
  p.engine.tidy(() => {
    const pv = detach(p);
    const g = penalizedGrad(pv, grad, h.weightDecay, h.maximize);
    const clr = h.lr / (1 + (step - 1) * h.lrDecay);
    const s = addcmul(sum, g, g, 1);
    sum.assignData(s);
    p.assignData(addcdiv(pv, g, add(sqrt(s), h.eps), -clr));
  });
}

/**
 * Adagrad (`torch.optim.Adagrad`, 1.13). State per parameter: `step`, `sum` (created on the
 * parameter's first update, filled with `initialAccumulatorValue`).
 */
export class Adagrad extends Optimizer<AdagradHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<AdagradOptions>, options: AdagradOptions = {}) {
    const o = options ?? {};
    super(params as ParamsInput<AdagradHyper>, {
      lr: o.lr ?? 1e-2,
      lrDecay: o.lrDecay ?? 0,
      weightDecay: o.weightDecay ?? 0,
      initialAccumulatorValue: o.initialAccumulatorValue ?? 0,
      eps: o.eps ?? 1e-10,
      maximize: o.maximize ?? false,
    });
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateAdagrad(group);
  }

  protected override stateSchema(): StateSchema {
    return { step: 'scalar', sum: 'param' };
  }

  protected override updateGroup(group: ParamGroup<AdagradHyper>): void {
    for (const p of this.paramsWithGrad(group)) adagradUpdate(p, p.grad!, this.stateOf(p), group);
  }
}
