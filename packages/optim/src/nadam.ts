import { add, detach, div, sqrt, type Tensor } from '@backstep/tensor';
import { adamMoments, addcdiv, nextStep, penalizedGrad, roundTo, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBetas, checkEps, checkLr, checkNonNegative } from './validate.js';

/** NAdam hyperparameters (PyTorch 1.13 names, camelCase; 1.13 has no `maximize` for NAdam). */
export interface NAdamOptions {
  /** Learning rate (default 2e-3). */
  lr?: number;
  /** Coefficients of the running averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum decay ψ (default 4e-3). */
  momentumDecay?: number;
}

/** The hyperparameters every NAdam param group holds. */
export type NAdamHyper = Required<NAdamOptions>;

/** Checks NAdam hyperparameters. */
export function validateNAdam(g: Record<string, unknown>): void {
  checkLr(g);
  checkEps(g);
  checkBetas(g);
  checkNonNegative(g, 'weightDecay');
  checkNonNegative(g, 'momentumDecay');
}

/**
 * The composed NAdam update (torch 1.13 `_single_tensor_nadam`): momentum cache
 * `mu_t = β1·(1 - ½·0.96^(t·ψ))`, `muProduct *= mu_t` (a scalar of the parameter's dtype), then
 * `p -= lr·(1-mu_t)/(1-muProduct)·g/denom + lr·mu_{t+1}/(1-muProduct·mu_t·mu_{t+1})·m/denom`
 * with `denom = sqrt(v / (1-β2^t)) + eps` (the extra `mu_t` is torch 1.13's, see below).
 */
export function nadamUpdate(p: Param, grad: Tensor, state: ParamState, h: NAdamHyper): void {
  const expAvg = stateTensor(state, 'expAvg', p);
  const expAvgSq = stateTensor(state, 'expAvgSq', p);
  if (state['muProduct'] === undefined) state['muProduct'] = 1;
  const step = nextStep(state, p);
  const [beta1, beta2] = h.betas;
  const bc2 = 1 - beta2 ** step;
  const mu = beta1 * (1 - 0.5 * 0.96 ** (step * h.momentumDecay));
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * h.momentumDecay));
  const muProduct = roundTo(p.dtype, (state['muProduct'] as number) * roundTo(p.dtype, mu));
  state['muProduct'] = muProduct;
  // torch 1.13 multiplies mu in twice here (fixed later by pytorch/pytorch#92699); the golden
  // trajectories are 1.13's, so Backstep follows it.
  const muProductNext = muProduct * mu * muNext;
  p.engine.tidy(() => {
    const pv = detach(p);
    const g = penalizedGrad(pv, grad, h.weightDecay);
    const [m, v] = adamMoments(expAvg, expAvgSq, g, beta1, beta2);
    const denom = add(sqrt(div(v, bc2)), h.eps);
    const p1 = addcdiv(pv, g, denom, (-h.lr * (1 - mu)) / (1 - muProduct));
    p.assignData(addcdiv(p1, m, denom, (-h.lr * muNext) / (1 - muProductNext)));
  });
}

/** NAdam (`torch.optim.NAdam`, 1.13). State per parameter: `step`, `muProduct`, `expAvg`, `expAvgSq`. */
export class NAdam extends Optimizer<NAdamHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<NAdamOptions>, options: NAdamOptions = {}) {
    const o = options ?? {};
    super(params as ParamsInput<NAdamHyper>, {
      lr: o.lr ?? 2e-3,
      betas: o.betas ?? [0.9, 0.999],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      momentumDecay: o.momentumDecay ?? 4e-3,
    });
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateNAdam(group);
  }

  protected override stateSchema(): StateSchema {
    return { step: 'scalar', muProduct: 'scalar', expAvg: 'param', expAvgSq: 'param' };
  }

  protected override updateGroup(group: ParamGroup<NAdamHyper>): void {
    for (const p of this.paramsWithGrad(group)) nadamUpdate(p, p.grad!, this.stateOf(p), group);
  }
}
