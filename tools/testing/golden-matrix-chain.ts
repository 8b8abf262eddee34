/**
 * Seed 002 ("optim explain"): the golden files `e2e/matrix_chain_adam.json` and
 * `e2e/matrix_chain_lbfgs.json` (their types), and the user's model `MyModule` — an
 * `nn.ParameterList` of two [d, d] matrices and `nn.Linear(d, 1, bias=False)` — shared by the CPU
 * suite (packages/optim) and the WebGPU suite (packages/backend-webgpu).
 *
 * The golden model is `linear(x @ A @ B)` (see the files' `model` field), i.e. each parameter
 * multiplies from the right: `x = x.mm(params[i])`. The seed's notebook writes
 * `x = self.params[i].mm(x)` (= `B @ A @ x`), which is a different function for these inputs
 * and does not give the recorded losses; the forward below follows the golden data.
 */
import { Linear, Module, ParameterList } from '@backstep/nn';
import type { AdamOptions, LBFGSOptions } from '@backstep/optim';
import { mm, zeros, type DType, type Tensor } from '@backstep/tensor';
import type { GoldenTensor, Tol } from './golden.js';

/** The golden files' parameter names. */
export type ParamName = 'A' | 'B' | 'linear.weight';

/** A per-step loss tolerance (float32: rounding differences compound along the run). */
export interface LossTolerance {
  rtol: number[];
  atol: number[];
}

/** The fields both matrix-chain files share. */
export interface MatrixChainCommon {
  d: number;
  nSamples: number;
  initialParams: Record<ParamName, GoldenTensor>;
  paramOrder: ParamName[];
  tolerance: Record<'float32' | 'float64', Tol>;
}

/** `e2e/matrix_chain_adam.json`. */
export interface MatrixChainAdam extends MatrixChainCommon {
  options: Required<AdamOptions>;
  steps: number;
  float32: { losses: number[]; lossTolerance: LossTolerance; finalParams: Record<ParamName, GoldenTensor> };
  float64: { losses: number[]; finalParams: Record<ParamName, GoldenTensor> };
}

/** One run of `e2e/matrix_chain_lbfgs.json`. */
export interface MatrixChainLbfgsRun {
  stepLosses: number[];
  closureLosses: number[][];
  lossAfter: number[];
  finalParams: Record<ParamName, GoldenTensor>;
}

/** `e2e/matrix_chain_lbfgs.json`. */
export interface MatrixChainLbfgs extends MatrixChainCommon {
  options: LBFGSOptions;
  outerSteps: number;
  float32: MatrixChainLbfgsRun & { lossTolerance: LossTolerance };
  float64: MatrixChainLbfgsRun;
}

/** The golden names map to the module's state-dict keys. */
export const STATE_KEY: Record<ParamName, string> = { A: 'params.0', B: 'params.1', 'linear.weight': 'linear.weight' };

/**
 * The user's model: two [d, d] parameter matrices in a ParameterList, then Linear(d, 1, bias=False).
 * Its parameters are created on the default engine (default dtype float32).
 */
export class MyModule extends Module {
  params: ParameterList;
  linear: Linear;

  /** @param d - the matrices' size; @param dtype - the parameters' dtype */
  constructor(d: number, dtype?: DType) {
    super();
    this.params = new ParameterList([zeros([d, d], { dtype }), zeros([d, d], { dtype })]);
    this.linear = new Linear(d, 1, { bias: false, dtype });
  }

  override forward(x: Tensor): Tensor {
    // the ParameterList can be iterated, or indexed with get(i)
    for (let i = 0; i < this.params.length; i++) x = mm(x, this.params.get(i));
    return this.linear.forward(x);
  }
}

/** The file's initial parameters as a state dict of {@link MyModule}. */
export function initialStateDict(c: MatrixChainCommon): Record<string, GoldenTensor> {
  const sd: Record<string, GoldenTensor> = {};
  for (const n of c.paramOrder) sd[STATE_KEY[n]] = c.initialParams[n];
  return sd;
}

/** float32: the file's per-step loss tolerance of step `s`; float64 (no `lossTolerance`): `tol`. */
export function lossTol(run: object, tol: Tol, s: number): Tol {
  const lt = (run as { lossTolerance?: LossTolerance }).lossTolerance;
  return lt ? { rtol: lt.rtol[s]!, atol: lt.atol[s]! } : tol;
}
