import { cubicInterpolate } from './lbfgs-cubic.js';
import type { LineSearchRun, TrialPoint } from './lbfgs-line-search-run.js';
import type { LbfgsGen } from './lbfgs-reads.js';
import type { Num } from './lbfgs-scalars.js';

/**
 * The zoom phase of torch 1.13's `_strong_wolfe`: we have a point satisfying the criteria
 * (`done`), or a bracket around it; the bracket is refined with cubic interpolation until a point
 * satisfies the strong Wolfe conditions, the bracket is too small (`|t₁ - t₀|·max|d|` below
 * `toleranceChange`) or the iterations run out. `bracket` (one point when `done`, two
 * otherwise) is updated in place; returns its low point (the lowest loss).
 */
export function* zoom(run: LineSearchRun, bracket: TrialPoint[], done: boolean, dNorm: Num): LbfgsGen<TrialPoint> {
  const S = run.S;
  let insufProgress = false;
  // find high and low points in bracket
  let [lowPos, highPos] = bracket[0]!.f <= bracket[bracket.length - 1]!.f ? [0, 1] : [1, 0];
  while (!done && run.lsIter < run.maxLs) {
    const b0 = bracket[0]!;
    const b1 = bracket[1]!;
    // line-search bracket is so small
    if (S.lt(S.mul(S.abs(S.sub(b1.t, b0.t)), dNorm), run.toleranceChange)) break;

    // compute new trial value
    let t = cubicInterpolate(S, b0.t, b0.f, b0.gtd, b1.t, b1.f, b1.gtd);

    // test that we are making sufficient progress: in case `t` is so close to boundary, we
    // mark that we are making insufficient progress, and if
    //   + we have made insufficient progress in the last step, or
    //   + `t` is at one of the boundary,
    // we will move `t` to a position which is `0.1 * len(bracket)` away from the nearest
    // boundary point.
    const bMax = S.max(b0.t, b1.t);
    const bMin = S.min(b0.t, b1.t);
    const eps = S.mul(0.1, S.sub(bMax, bMin));
    if (S.lt(S.min(S.sub(bMax, t), S.sub(t, bMin)), eps)) {
      // interpolation close to boundary
      if (insufProgress || S.ge(t, bMax) || S.le(t, bMin)) {
        // evaluate at 0.1 away from boundary
        t = S.lt(S.abs(S.sub(t, bMax)), S.abs(S.sub(t, bMin))) ? S.sub(bMax, eps) : S.add(bMin, eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }

    // Evaluate new point
    const p = yield* run.probe(t);
    run.lsIter += 1;

    if (run.armijoFails(p) || p.f >= bracket[lowPos]!.f) {
      // Armijo condition not satisfied or not lower than lowest point
      bracket[highPos] = p;
      [lowPos, highPos] = bracket[0]!.f <= bracket[1]!.f ? [0, 1] : [1, 0];
    } else {
      if (run.curvatureHolds(p)) {
        // Wolfe conditions satisfied
        done = true;
      } else if (S.ge(S.mul(p.gtd, S.sub(bracket[highPos]!.t, bracket[lowPos]!.t)), 0)) {
        // old high becomes new low
        bracket[highPos] = bracket[lowPos]!;
      }
      // new point becomes new low
      bracket[lowPos] = p;
    }
  }
  return bracket[lowPos]!;
}
