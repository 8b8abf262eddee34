import { lbfgsAlgorithm } from './lbfgs-algorithm.js';
import { runAsync, runSync, type AsyncClosure } from './lbfgs-driver.js';
import { flatNumel } from './lbfgs-flat.js';
import { lbfgsDefaults, validateLBFGS, type LBFGSHyper, type LBFGSOptions } from './lbfgs-options.js';
import { LBFGS_STATE_SCHEMA, normalizeLbfgsStateDict, type LbfgsState } from './lbfgs-state.js';
import { Optimizer } from './optimizer.js';
import type {
  Closure,
  ClosureResult,
  LoadStateDictOptions,
  OptimizerStateDict,
  Param,
  ParamGroupInput,
  ParamsInput,
  ParamState,
  StateSchema,
} from './types.js';

const NO_GROUPS = "LBFGS doesn't support per-parameter options (parameter groups)";
const NEEDS_CLOSURE =
  'LBFGS.step requires a closure that reevaluates the model and returns the loss, e.g. ' +
  'opt.step(() => { opt.zeroGrad(); const loss = lossFn(model.forward(x), y); loss.backward(); return loss; })';

/**
 * L-BFGS (`torch.optim.LBFGS`, 1.13), heavily inspired by minFunc: a faithful port of PyTorch's
 * control flow (flat gradient, `toleranceGrad` / `toleranceChange` stops, history update when
 * `y·s > 1e-10`, `H_diag` scaling, the two-loop recursion, the first iteration's
 * `t = min(1, 1/|g|₁)·lr`, the optional strong Wolfe line search with cubic interpolation,
 * `maxEval` and the `funcEvals` / `nIter` bookkeeping).
 *
 * - `step(closure)` REQUIRES a closure that re-evaluates the model: it calls `zeroGrad()`, the
 *   forward pass and `backward()` and returns the loss (a Tensor or a number). The closure may
 *   be called several times per step; `step` returns the loss of the first call.
 * - One param group only (as PyTorch: "LBFGS doesn't support per-parameter options"); all
 *   parameters must share one dtype and one backend.
 * - The vector math (flat gradient = `cat` of the reshaped gradients, directions, history) runs
 *   on the parameters' backend through tensor ops on detached tensors; the parameters are
 *   written back with `assignData`. The scalars the algorithm branches on (dot products, the
 *   loss, `max |g|`) are read to the host as PyTorch reads them with `.item()`: `step()` reads
 *   synchronously (CPU backend, or any backend with synchronous reads); on backends that only
 *   read asynchronously (WebGPU) use `await opt.stepAsync(closure)`, the same algorithm with
 *   `itemAsync()` (its closure may be async too).
 * - State (on the first parameter, like PyTorch): `funcEvals`, `nIter`, `d`, `t`, `oldDirs`,
 *   `oldStps`, `ro`, `HDiag`, `prevFlatGrad`, `prevLoss`, `al`. `stateDict()` / `loadStateDict()`
 *   round-trip it exactly (a resumed LBFGS continues bit-identically) and
 *   `toPyTorchStateDict` gives PyTorch's names (`func_evals`, `H_diag`, `old_dirs`, ...).
 * - If the closure throws, the optimizer's state is left as it was before the step (the
 *   parameters may have moved, as in PyTorch).
 *
 * The algorithm is `lbfgs-algorithm.ts` (with the history in `lbfgs-history.ts`, the line search
 * in `lbfgs-line-search.ts`); `lbfgs-driver.ts` runs it synchronously or asynchronously.
 *
 * @example
 * const opt = new LBFGS(model.parameters(), { lineSearchFn: 'strong_wolfe' });
 * const loss = opt.step(() => {
 *   opt.zeroGrad();
 *   const l = lossFn(model.forward(x), y);
 *   l.backward();
 *   return l;
 * });
 */
export class LBFGS extends Optimizer<LBFGSHyper> {
  /** @param params - tensors (one group); @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<LBFGSOptions>, options: LBFGSOptions = {}) {
    super(params as ParamsInput<LBFGSHyper>, lbfgsDefaults(options));
    const ps = this.paramGroups[0]!.params;
    const p0 = ps[0]!;
    for (const p of ps) {
      if (p.dtype !== p0.dtype) throw new TypeError(`LBFGS: all parameters must have one dtype, got ${p0.dtype} and ${p.dtype}`);
      if (p.backendName !== p0.backendName) {
        throw new Error(`LBFGS: all parameters must be on one backend, got '${p0.backendName}' and '${p.backendName}'`);
      }
    }
  }

  /** LBFGS has exactly one param group: adding a second one is an error (as in PyTorch). */
  override addParamGroup(group: ParamGroupInput<LBFGSHyper>): void {
    if (this.paramGroups.length >= 1) throw new Error(NO_GROUPS);
    super.addParamGroup(group);
  }

  protected override validateGroup(group: Record<string, unknown>): void {
    validateLBFGS(group);
  }

  protected override stateSchema(): StateSchema {
    return { ...LBFGS_STATE_SCHEMA };
  }

  /** The parameters (of the single group). */
  private get params(): Param[] {
    return this.paramGroups[0]!.params;
  }

  /**
   * Performs one LBFGS step (up to `maxIter` iterations, `maxEval` closure evaluations) and
   * returns the loss of the closure's first evaluation. Needs synchronous reads (CPU); see
   * {@link stepAsync} for other backends.
   */
  override step(closure: Closure): ClosureResult {
    if (typeof closure !== 'function') throw new TypeError(NEEDS_CLOSURE);
    return super.step(closure) as ClosureResult;
  }

  /**
   * {@link step} for backends that read asynchronously (every backend): scalars are read with
   * `itemAsync()` and the closure may return a promise. Same algorithm, same results.
   */
  async stepAsync(closure: AsyncClosure): Promise<ClosureResult> {
    if (typeof closure !== 'function') throw new TypeError(NEEDS_CLOSURE);
    return (await this.stepAsyncWith(() => runAsync(this.algorithm(), closure))) as ClosureResult;
  }

  protected override performStep(closure?: Closure): ClosureResult | undefined {
    if (typeof closure !== 'function') throw new TypeError(NEEDS_CLOSURE);
    return runSync(this.algorithm(), closure);
  }

  /** One step of the algorithm on this optimizer's parameters, hyperparameters and state. */
  private algorithm(): ReturnType<typeof lbfgsAlgorithm> {
    const params = this.params;
    // NOTE: LBFGS has only global state, but we register it as state for the first param,
    // because this helps with casting in load_state_dict (PyTorch's comment and layout)
    const state = this.stateOf(params[0]!) as LbfgsState & ParamState;
    return lbfgsAlgorithm(params, this.paramGroups[0]!, state);
  }

  /**
   * Restores a state dict saved by {@link stateDict} (or converted from PyTorch with
   * `fromPyTorchStateDict`, whose number lists `ro` / `al` arrive as 1-D tensors and are turned
   * back into numbers here). Besides the base checks, the flat vectors (`d`, `prevFlatGrad`, the
   * history) must have the parameters' total size and the history lists matching lengths.
   */
  override loadStateDict(sd: OptimizerStateDict, options: LoadStateDictOptions = {}): void {
    super.loadStateDict(normalizeLbfgsStateDict(sd, flatNumel(this.params)), options);
  }
}
