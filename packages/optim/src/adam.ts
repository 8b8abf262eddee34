import { add, detach, div, maximum, mul, sqrt, type Tensor } from '@backstep/tensor';
import { byBackend, hasFusedKernel, runFusedKernel } from './fused.js';
import { adamMoments, addcdiv, nextStep, penalizedGrad, stateTensor } from './math.js';
import { Optimizer } from './optimizer.js';
import type { Param, ParamGroup, ParamsInput, ParamState, StateSchema } from './types.js';
import { checkBetas, checkBool, checkEps, checkLr, checkNonNegative } from './validate.js';

/** Adam / AdamW hyperparameters (PyTorch 1.13 names, camelCase). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Coefficients of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** Weight decay: L2 added to the gradient for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay?: number;
  /** Use the AMSGrad variant (default false). */
  amsgrad?: boolean;
  /** Maximize the objective (default false). */
  maximize?: boolean;
}

/** The hyperparameters every Adam/AdamW param group holds. */
export type AdamHyper = Required<AdamOptions>;

/** Checks Adam/AdamW hyperparameters (PyTorch's messages). */
export function validateAdam(g: Record<string, unknown>): void {
  checkLr(g);
  checkEps(g);
  checkBetas(g);
  checkNonNegative(g, 'weightDecay');
  checkBool(g, 'amsgrad');
  checkBool(g, 'maximize');
}

/** Adam's defaults with `options` applied. */
export function adamDefaults(options: AdamOptions, weightDecay: number): AdamHyper {
  return {
    lr: options.lr ?? 1e-3,
    betas: options.betas ?? [0.9, 0.999],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? weightDecay,
    amsgrad: options.amsgrad ?? false,
    maximize: options.maximize ?? false,
  };
}

/**
 * The composed Adam update of one parameter (torch 1.13 `_single_tensor_adam`, or
 * `_single_tensor_adamw` when `decoupled`): bias corrections in double from the step count.
 */
export function adamUpdate(p: Param, grad: Tensor, state: ParamState, h: AdamHyper, decoupled: boolean): void {
  const expAvg = stateTensor(state, 'expAvg', p);
  const expAvgSq = stateTensor(state, 'expAvgSq', p);
  const maxSq = h.amsgrad ? stateTensor(state, 'maxExpAvgSq', p) : null;
  const step = nextStep(state, p);
  const [beta1, beta2] = h.betas;
  p.engine.tidy(() => {
    let pv = detach(p);
    const g = penalizedGrad(pv, grad, decoupled ? 0 : h.weightDecay, h.maximize);
    if (decoupled && h.weightDecay !== 0) pv = mul(pv, 1 - h.lr * h.weightDecay);
    const [m, v] = adamMoments(expAvg, expAvgSq, g, beta1, beta2);
    const stepSize = h.lr / (1 - beta1 ** step);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
    let second = v;
    if (maxSq !== null) {
      second = maximum(maxSq, v);
      maxSq.assignData(second);
    }
    const denom = add(div(sqrt(second), bc2Sqrt), h.eps);
    p.assignData(addcdiv(pv, m, denom, -stepSize));
  });
}

/** The state schema of Adam-like optimizers. */
export function adamSchema(group: Record<string, unknown>): StateSchema {
  const s: StateSchema = { step: 'scalar', expAvg: 'param', expAvgSq: 'param' };
  if (group['amsgrad'] === true) s['maxExpAvgSq'] = 'param';
  return s;
}

/**
 * Adam (`torch.optim.Adam`, 1.13): L2 weight decay added to the gradient, optional AMSGrad and
 * maximize. State per parameter: `step`, `expAvg`, `expAvgSq` (+ `maxExpAvgSq` with amsgrad).
 * Uses the backend's fused `'adamStep'` kernel when registered.
 */
export class Adam extends Optimizer<AdamHyper> {
  /** Whether weight decay is decoupled (AdamW). */
  protected readonly decoupled: boolean = false;

  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<AdamOptions>, options: AdamOptions = {}) {
    super(params as ParamsInput<AdamHyper>, adamDefaults(options ?? {}, 0));
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateAdam(group);
  }

  protected override stateSchema(group: Record<string, unknown>): StateSchema {
    return adamSchema(group);
  }

  protected override updateGroup(group: ParamGroup<AdamHyper>): void {
    for (const params of byBackend(this.paramsWithGrad(group))) {
      if (hasFusedKernel('adamStep', params[0]!)) this.fusedUpdate(params, group);
      else for (const p of params) adamUpdate(p, p.grad!, this.stateOf(p), group, this.decoupled);
    }
  }

  private fusedUpdate(params: Param[], h: AdamHyper): void {
    const inputs: Tensor[] = [];
    const mutated: Tensor[] = [];
    const steps: number[] = [];
    for (const p of params) {
      const state = this.stateOf(p);
      const tensors = [stateTensor(state, 'expAvg', p), stateTensor(state, 'expAvgSq', p)];
      if (h.amsgrad) tensors.push(stateTensor(state, 'maxExpAvgSq', p));
      steps.push(nextStep(state, p));
      inputs.push(p, p.grad!, ...tensors);
      mutated.push(p, ...tensors);
    }
    runFusedKernel('adamStep', inputs, mutated, {
      lr: h.lr,
      beta1: h.betas[0],
      beta2: h.betas[1],
      eps: h.eps,
      weightDecay: h.weightDecay,
      amsgrad: h.amsgrad,
      maximize: h.maximize,
      decoupledWeightDecay: this.decoupled,
      step: steps,
    });
  }
}
