/**
 * Seed 002 ("optim explain"): what an optimizer holds and does. A custom Module with a
 * `ParameterList` of two 10×10 matrices and a `Linear(10, 1, bias: false)`, the hand-written loss
 * `mean((input - target) ** 2)`, Adam with lr 0.01 over the samples `x = ones(10, 10) * i`,
 * `target = ones(10, 1) * i`; `optimizer.paramGroups`; the same model trained by LBFGS with a
 * closure; and a `LambdaLR` schedule.
 *
 * The initial weights are PyTorch's (`initial-params.json`, copied from the golden run
 * `e2e/matrix_chain_adam.json`), so the losses can be compared with PyTorch's step by step. As in
 * the golden run the matrices multiply from the right: `linear(x @ A @ B)`. (The seed's notebook
 * writes `params[i].mm(x)`, i.e. `B @ A @ x`; with these inputs both are the same kind of chain.)
 */
import { readFileSync } from 'node:fs';
import { Linear, Module, Parameter, ParameterList } from '@backstep/nn';
import { LambdaLR } from '@backstep/lr-scheduler';
import { Adam, LBFGS } from '@backstep/optim';
import { ones, tensor, tidy, type DType, type Tensor } from '@backstep/tensor';
import { setupCpu } from '../shared/setup.js';

/** A golden tensor object `{ shape, data }`. */
interface JsonTensor {
  shape: number[];
  data: number[][];
}

/** PyTorch's initial weights of the golden runs (`A`, `B`, `linear.weight`). */
export function loadInitialParams(): Record<'A' | 'B' | 'linear.weight', JsonTensor> {
  const url = new URL('./initial-params.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { initialParams: Record<'A' | 'B' | 'linear.weight', JsonTensor> }).initialParams;
}

/** The seed's `MyModule`: a `ParameterList` of two [10, 10] matrices and `Linear(10, 1, bias: false)`. */
export class MyModule extends Module<[Tensor], Tensor> {
  params: ParameterList;
  linear: Linear;

  /** `init` gives the starting weights (default: PyTorch's, from `initial-params.json`). */
  constructor(dtype: DType = 'float32', init = loadInitialParams()) {
    super();
    const t = (j: JsonTensor) => tensor(j.data, { dtype });
    this.params = new ParameterList([new Parameter(t(init.A)), new Parameter(t(init.B))]);
    this.linear = new Linear(10, 1, { bias: false, dtype });
    this.linear.weight = new Parameter(t(init['linear.weight']));
  }

  override forward(x: Tensor): Tensor {
    // ParameterList is iterable (or indexed with get(i))
    for (const p of this.params) x = x.mm(p);
    return this.linear.call(x);
  }
}

/** The seed's hand-written loss `torch.mean((input - target) ** 2)` (a plain class, not a Module). */
export class MyLoss {
  forward(input: Tensor, target: Tensor): Tensor {
    // (the seed's `loss.requires_grad_(True)` is not needed: the loss already requires grad)
    return input.sub(target).pow(2).mean();
  }
}

/** Sample `i`: `x = ones(10, 10) * i`, `target = ones(10, 1) * i`. */
export function sample(i: number, dtype: DType = 'float32'): [Tensor, Tensor] {
  return [ones([10, 10], { dtype }).mul(i), ones([10, 1], { dtype }).mul(i)];
}

/** `print(optimizer.param_groups[0])`, Backstep-style: hyperparameters and parameter shapes. */
export function describeParamGroup(optimizer: { readonly paramGroups: readonly object[] }, index = 0): Record<string, unknown> {
  const g = optimizer.paramGroups[index] as Record<string, unknown> & { params: Tensor[] };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(g)) out[k] = k === 'params' ? (v as Tensor[]).map((p) => `Parameter [${p.shape.join(', ')}] ${p.dtype}`) : v;
  return out;
}

/** What {@link runAdam} reports. */
export interface AdamRun {
  /** Loss of step s, computed before that step's update (as the seed prints it). */
  losses: number[];
  paramGroup: Record<string, unknown>;
  paramShapes: number[][];
}

/** Adam lr 0.01; step s trains on sample `s % 100`. */
export function runAdam(options: { steps?: number; dtype?: DType; lr?: number } = {}): AdamRun {
  setupCpu();
  const dtype = options.dtype ?? 'float32';
  const model = new MyModule(dtype);
  const loss = new MyLoss();
  const optimizer = new Adam(model.parameters(), { lr: options.lr ?? 0.01 });
  const losses: number[] = [];
  for (let s = 0; s < (options.steps ?? 200); s++) {
    losses.push(tidy(() => {
      const [input, target] = sample(s % 100, dtype);
      const output = model.call(input);
      const myloss = loss.forward(output, target);
      optimizer.zeroGrad(); // grad = null
      myloss.backward(); // grad = grad + d myloss / d param
      optimizer.step(); // param = adam(param, grad, state)
      return myloss.item();
    }));
  }
  return { losses, paramGroup: describeParamGroup(optimizer), paramShapes: model.parameters().map((p) => [...p.shape]) };
}

/** What {@link runLBFGS} reports. */
export interface LbfgsRun {
  /** `optimizer.step(closure)`'s return value: the loss of the first closure call. */
  stepLosses: number[];
  /** Every closure value, per outer step. */
  closureLosses: number[][];
  /** Loss on the same sample after the step. */
  lossAfter: number[];
  paramGroup: Record<string, unknown>;
}

/** LBFGS options of the golden run `e2e/matrix_chain_lbfgs.json`. */
export const LBFGS_OPTIONS = { lr: 0.05, maxIter: 5, maxEval: 6, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null } as const;

/** LBFGS with a closure, one sample per outer step (`i = s % 100`). */
export function runLBFGS(options: { outerSteps?: number; dtype?: DType } = {}): LbfgsRun {
  setupCpu();
  const dtype = options.dtype ?? 'float32';
  const model = new MyModule(dtype);
  const loss = new MyLoss();
  const optimizer = new LBFGS(model.parameters(), { ...LBFGS_OPTIONS });
  const stepLosses: number[] = [];
  const closureLosses: number[][] = [];
  const lossAfter: number[] = [];
  for (let s = 0; s < (options.outerSteps ?? 20); s++) {
    const [input, target] = sample(s % 100, dtype);
    const calls: number[] = [];
    const closure = () => {
      optimizer.zeroGrad();
      const myloss = loss.forward(model.call(input), target);
      myloss.backward();
      calls.push(myloss.item());
      return myloss;
    };
    const l = optimizer.step(closure);
    stepLosses.push(typeof l === 'number' ? l : (l as Tensor).item());
    closureLosses.push(calls);
    lossAfter.push(tidy(() => loss.forward(model.call(input), target).item()));
    input.dispose();
    target.dispose();
  }
  return { stepLosses, closureLosses, lossAfter, paramGroup: describeParamGroup(optimizer) };
}

/** The seed's `LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)` over 10 epochs of 100 steps. */
export function runLambdaLR(options: { epochs?: number; stepsPerEpoch?: number } = {}): { lrBeforeStep: number[]; lastLrAfterStep: number[] } {
  setupCpu();
  const model = new MyModule();
  const loss = new MyLoss();
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new LambdaLR(optimizer, { lrLambda: (epoch) => 0.95 ** epoch });
  const lrBeforeStep: number[] = [];
  const lastLrAfterStep: number[] = [];
  for (let epoch = 0; epoch < (options.epochs ?? 10); epoch++) {
    for (let i = 0; i < (options.stepsPerEpoch ?? 100); i++) {
      tidy(() => {
        const [input, target] = sample(i);
        const myloss = loss.forward(model.call(input), target);
        optimizer.zeroGrad();
        myloss.backward();
        optimizer.step();
      });
    }
    lrBeforeStep.push(optimizer.paramGroups[0]!.lr);
    scheduler.step(); // after optimizer.step() (PyTorch >= 1.1 order)
    lastLrAfterStep.push(scheduler.getLastLr()[0]!);
  }
  return { lrBeforeStep, lastLrAfterStep };
}
