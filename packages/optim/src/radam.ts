import { add, detach, div, mul, sqrt, sub, type Tensor } from '@backstep/tensor';
import { adamMoments, nextStep, penalizedGrad, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBetas, checkEps, checkLr, checkNonNegative } from './validate.js';

/** RAdam hyperparameters (PyTorch 1.13 names, camelCase; 1.13 has no `maximize` for RAdam). */
export interface RAdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Coefficients of the running averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
}

/** The hyperparameters every RAdam param group holds. */
export type RAdamHyper = Required<RAdamOptions>;

/** Checks RAdam hyperparameters. */
export function validateRAdam(g: Record<string, unknown>): void {
  checkLr(g);
  checkEps(g);
  checkBetas(g);
  checkNonNegative(g, 'weightDecay');
}

/**
 * The composed RAdam update (torch 1.13 `_single_tensor_radam`): with
 * `ρ∞ = 2/(1-β2) - 1` and `ρt = ρ∞ - 2t·β2^t/(1-β2^t)`, the rectified adaptive step
 * `p -= m/(1-β1^t)·lr·sqrt(1-β2^t)/(sqrt(v)+eps)·r` when `ρt > 5`, plain momentum otherwise.
 */
export function radamUpdate(p: Param, grad: Tensor, state: ParamState, h: RAdamHyper): void {
  const expAvg = stateTensor(state, 'expAvg', p);
  const expAvgSq = stateTensor(state, 'expAvgSq', p);
  const step = nextStep(state, p);
  const [beta1, beta2] = h.betas;
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  const rhoInf = 2 / (1 - beta2) - 1;
  const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
  p.engine.tidy(() => {
    const pv = detach(p);
    const g = penalizedGrad(pv, grad, h.weightDecay);
    const [m, v] = adamMoments(expAvg, expAvgSq, g, beta1, beta2);
    const corrected = div(m, bc1);
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptive = div(Math.sqrt(bc2), add(sqrt(v), h.eps));
      p.assignData(sub(pv, mul(mul(mul(corrected, h.lr), adaptive), rect)));
    } else {
      p.assignData(sub(pv, mul(corrected, h.lr)));
    }
  });
}

/** RAdam (`torch.optim.RAdam`, 1.13). State per parameter: `step`, `expAvg`, `expAvgSq`. */
export class RAdam extends Optimizer<RAdamHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<RAdamOptions>, options: RAdamOptions = {}) {
    const o = options ?? {};
    super(params as ParamsInput<RAdamHyper>, {
      lr: o.lr ?? 1e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
    });
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateRAdam(group);
  }

  protected override stateSchema(): StateSchema {
    return { step: 'scalar', expAvg: 'param', expAvgSq: 'param' };
  }

  protected override updateGroup(group: ParamGroup<RAdamHyper>): void {
    for (const p of this.paramsWithGrad(group)) radamUpdate(p, p.grad!, this.stateOf(p), group);
  }
}
