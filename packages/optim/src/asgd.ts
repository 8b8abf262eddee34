import { add, detach, mul, sub, type Tensor } from '@backstep/tensor';
import { nextStep, penalizedGrad, roundTo, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBool, checkLr, checkNonNegative, checkNumber } from './validate.js';

/** ASGD hyperparameters (PyTorch 1.13 names, camelCase). */
export interface ASGDOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Decay term (default 1e-4). */
  lambd?: number;
  /** Power for the eta update (default 0.75). */
  alpha?: number;
  /** Step at which averaging starts (default 1e6). */
  t0?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Maximize the objective (default false). */
  maximize?: boolean;
}

/** The hyperparameters every ASGD param group holds. */
export type ASGDHyper = Required<ASGDOptions>;

/** Checks ASGD hyperparameters. */
export function validateASGD(g: Record<string, unknown>): void {
  checkLr(g);
  checkNumber(g, 'lambd');
  checkNumber(g, 'alpha');
  checkNumber(g, 't0');
  checkNonNegative(g, 'weightDecay');
  checkBool(g, 'maximize');
}

/**
 * The composed ASGD update (torch 1.13 `_single_tensor_asgd`): `p *= 1 - λ·eta; p -= eta·g;`
 * averaging `ax += (p - ax)·mu` (or `ax = p` while mu = 1); then
 * `eta = lr / (1 + λ·lr·t)^α`, `mu = 1 / max(1, t - t0)` (scalars of the parameter's dtype).
 */
export function asgdUpdate(p: Param, grad: Tensor, state: ParamState, h: ASGDHyper): void {
  const ax = stateTensor(state, 'ax', p);
  if (state['eta'] === undefined) state['eta'] = roundTo(p.dtype, h.lr);
  if (state['mu'] === undefined) state['mu'] = 1;
  const step = nextStep(state, p);
  const eta = state['eta'] as number;
  const mu = state['mu'] as number;
  p.engine.tidy(() => {
    let pv = detach(p);
    const g = penalizedGrad(pv, grad, h.weightDecay, h.maximize);
    pv = mul(pv, 1 - h.lambd * eta);
    pv = add(pv, mul(g, -eta));
    p.assignData(pv);
    ax.assignData(mu !== 1 ? add(ax, mul(sub(pv, ax), mu)) : pv);
  });
  state['eta'] = roundTo(p.dtype, h.lr / (1 + h.lambd * h.lr * step) ** h.alpha);
  state['mu'] = roundTo(p.dtype, 1 / Math.max(1, step - h.t0));
}

/** ASGD (`torch.optim.ASGD`, 1.13). State per parameter: `step`, `eta`, `mu`, `ax`. */
export class ASGD extends Optimizer<ASGDHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<ASGDOptions>, options: ASGDOptions = {}) {
    const o = options ?? {};
    super(params as ParamsInput<ASGDHyper>, {
      lr: o.lr ?? 1e-2,
      lambd: o.lambd ?? 1e-4,
      alpha: o.alpha ?? 0.75,
      t0: o.t0 ?? 1e6,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateASGD(group);
  }

  protected override stateSchema(): StateSchema {
    return { step: 'scalar', eta: 'scalar', mu: 'scalar', ax: 'param' };
  }

  protected override updateGroup(group: ParamGroup<ASGDHyper>): void {
    for (const p of this.paramsWithGrad(group)) asgdUpdate(p, p.grad!, this.stateOf(p), group);
  }
}
