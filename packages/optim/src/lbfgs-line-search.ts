import type { Tensor } from '@backstep/tensor';
import { cubicInterpolate } from './lbfgs-cubic.js';
import { LineSearchRun, type DirectionalEvaluate, type StrongWolfeOptions, type TrialPoint } from './lbfgs-line-search-run.js';
import { absMaxNum, type LbfgsGen } from './lbfgs-reads.js';
import type { Num, ScalarOps } from './lbfgs-scalars.js';
import { zoom } from './lbfgs-zoom.js';

/**
 * The strong Wolfe line search of LBFGS, ported from torch 1.13's `torch/optim/lbfgs.py`
 * (`_strong_wolfe`, itself a port of `lswolfe.lua`): the bracketing phase here, the zoom phase in
 * `lbfgs-zoom.ts`, the cubic interpolation both use in `lbfgs-cubic.ts`, and the host-scalar
 * arithmetic with PyTorch's promotion in `lbfgs-scalars.ts`.
 */

/** What {@link strongWolfe} returns. */
export interface StrongWolfeResult {
  /** The loss at the accepted step. */
  f: number;
  /** The flat gradient at the accepted step (owned by the caller; may be the `g` passed in). */
  g: Tensor;
  /** The accepted step. */
  t: Num;
  /** Closure evaluations made. */
  lsFuncEvals: number;
}

/**
 * torch 1.13's `_strong_wolfe(obj_func, x, t, d, f, g, gtd)`: brackets a step satisfying the
 * strong Wolfe conditions, then zooms in with cubic interpolation. `evaluate(t)` evaluates the
 * objective at `x + t·d`. `g` and every gradient produced by `evaluate` are disposed here except
 * the returned one.
 */
export function* strongWolfe(
  S: ScalarOps,
  evaluate: DirectionalEvaluate,
  t0: Num,
  d: Tensor,
  f: number,
  g: Tensor,
  gtd: Num,
  options: StrongWolfeOptions = {},
): LbfgsGen<StrongWolfeResult> {
  const run = new LineSearchRun(S, evaluate, d, f, g, gtd, options);
  let result: Tensor | null = null;
  try {
    const dNorm = yield* absMaxNum(S, d);
    // evaluate objective and gradient using initial step
    let cur = yield* run.probe(t0);

    // bracket an interval containing a point satisfying the Wolfe criteria
    let prev = run.start();
    let done = false;
    let bracket: TrialPoint[] = [];
    while (run.lsIter < run.maxLs) {
      // check conditions
      if (run.armijoFails(cur) || (run.lsIter > 1 && cur.f >= prev.f)) {
        bracket = [prev, cur];
        break;
      }
      if (run.curvatureHolds(cur)) {
        bracket = [cur];
        done = true;
        break;
      }
      if (S.ge(cur.gtd, 0)) {
        bracket = [prev, cur];
        break;
      }
      // interpolate
      const minStep = S.add(cur.t, S.mul(0.01, S.sub(cur.t, prev.t)));
      const maxStep = S.mul(cur.t, 10);
      const t = cubicInterpolate(S, prev.t, prev.f, prev.gtd, cur.t, cur.f, cur.gtd, [minStep, maxStep]);
      // next step
      prev = cur;
      cur = yield* run.probe(t);
      run.lsIter += 1;
    }

    // reached max number of iterations? (torch leaves the bracket's `gtd`s unset here: the
    // zoom phase does not run, so they are never read)
    if (run.lsIter === run.maxLs) bracket = [run.start(), cur];

    // zoom phase: refine the bracket until a point satisfies the criteria
    const low = yield* zoom(run, bracket, done, dNorm);

    // return stuff
    result = low.g;
    return { f: low.f, g: low.g, t: low.t, lsFuncEvals: run.lsFuncEvals };
  } finally {
    run.disposeExcept(result);
  }
}
