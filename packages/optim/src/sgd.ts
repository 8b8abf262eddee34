import { add, clone, detach, mul, neg, sub, zerosLike, type Tensor } from '@backstep/tensor';
import { byBackend, hasFusedKernel, runFusedKernel } from './fused.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBool, checkLr, checkNonNegative, check } from './validate.js';

/** SGD hyperparameters (PyTorch 1.13 defaults; `lr` is required). */
export interface SGDOptions {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Dampening of the momentum (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and zero dampening). */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The hyperparameters every SGD param group holds. */
export type SGDHyper = Required<SGDOptions>;

/** Checks SGD hyperparameters (PyTorch's messages). */
export function validateSGD(g: Record<string, unknown>): void {
  checkLr(g);
  checkNonNegative(g, 'momentum');
  check(g['dampening'], () => true, 'Invalid dampening value');
  checkNonNegative(g, 'weightDecay');
  checkBool(g, 'nesterov');
  checkBool(g, 'maximize');
  if (g['nesterov'] && ((g['momentum'] as number) <= 0 || g['dampening'] !== 0)) {
    throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  }
}

/**
 * The composed SGD update of one parameter (torch 1.13 `_single_tensor_sgd`):
 * `d = ±grad + wd·p; buf = momentum·buf + (1 - dampening)·d` (buf = d at first);
 * `d = nesterov ? d + momentum·buf : buf; p -= lr·d`.
 */
export function sgdUpdate(p: Param, grad: Tensor, state: ParamState, h: SGDHyper): void {
  p.engine.tidy(() => {
    const pv = detach(p);
    let d = detach(grad);
    if (h.maximize) d = neg(d);
    if (h.weightDecay !== 0) d = add(d, mul(pv, h.weightDecay));
    if (h.momentum !== 0) {
      let buf = state['momentumBuffer'] as Tensor | null | undefined;
      if (buf === null || buf === undefined) {
        buf = p.engine.keep(clone(d));
        state['momentumBuffer'] = buf;
      } else {
        buf.assignData(add(mul(buf, h.momentum), mul(d, 1 - h.dampening)));
      }
      d = h.nesterov ? add(d, mul(buf, h.momentum)) : buf;
    } else {
      state['momentumBuffer'] = null;
    }
    p.assignData(sub(pv, mul(d, h.lr)));
  });
}

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight
 * decay and maximize, as `torch.optim.SGD` (1.13). State per parameter: `momentumBuffer`
 * (null without momentum). Uses the backend's fused `'sgdStep'` kernel when registered.
 *
 * @example
 * const opt = new SGD([x, y], { lr: 0.1 });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class SGD extends Optimizer<SGDHyper> {
  /** @param params - tensors or param groups; @param options - hyperparameters (`lr` required). */
  constructor(params: ParamsInput<SGDOptions>, options: SGDOptions) {
    const defaults = {
      lr: options?.lr,
      momentum: options?.momentum ?? 0,
      dampening: options?.dampening ?? 0,
      weightDecay: options?.weightDecay ?? 0,
      nesterov: options?.nesterov ?? false,
      maximize: options?.maximize ?? false,
    } as SGDHyper;
    super(params as ParamsInput<SGDHyper>, defaults);
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateSGD(group);
  }

  protected override stateSchema(): StateSchema {
    return { momentumBuffer: 'paramOrNull' };
  }

  protected override updateGroup(group: ParamGroup<SGDHyper>): void {
    for (const params of byBackend(this.paramsWithGrad(group))) {
      if (hasFusedKernel('sgdStep', params[0]!)) this.fusedUpdate(params, group);
      else for (const p of params) sgdUpdate(p, p.grad!, this.stateOf(p), group);
    }
  }

  private fusedUpdate(params: Param[], h: SGDHyper): void {
    const inputs: Tensor[] = [];
    const mutated: Tensor[] = [];
    const firstStep: boolean[] = [];
    for (const p of params) {
      const state = this.stateOf(p);
      inputs.push(p, p.grad!);
      mutated.push(p);
      if (h.momentum !== 0) {
        let buf = state['momentumBuffer'] as Tensor | null | undefined;
        firstStep.push(buf === null || buf === undefined);
        if (buf === null || buf === undefined) {
          buf = p.engine.keep(zerosLike(p));
          state['momentumBuffer'] = buf;
        }
        inputs.push(buf);
        mutated.push(buf);
      } else {
        state['momentumBuffer'] = null;
        firstStep.push(false);
      }
    }
    runFusedKernel('sgdStep', inputs, mutated, {
      lr: h.lr,
      momentum: h.momentum,
      dampening: h.dampening,
      weightDecay: h.weightDecay,
      nesterov: h.nesterov,
      maximize: h.maximize,
      firstStep,
    });
  }
}
