import { abs, amax, detach, mul, neg, sum, type Tensor } from '@backstep/tensor';
import { addGrad, directionalEvaluate, gatherFlatGrad } from './lbfgs-flat.js';
import { resetHistory, twoLoopDirection, updateHistory, type LbfgsHistory } from './lbfgs-history.js';
import { strongWolfe } from './lbfgs-line-search.js';
import type { LBFGSHyper } from './lbfgs-options.js';
import { absMaxNum, dotNum, readNum, type LbfgsGen } from './lbfgs-reads.js';
import { ScalarOps, type Num } from './lbfgs-scalars.js';
import { replaceState, type LbfgsState } from './lbfgs-state.js';
import { StepTensors } from './lbfgs-step-tensors.js';
import type { Param, ParamState } from './types.js';

/**
 * The algorithm of torch 1.13's `LBFGS.step`, as a generator of read / closure requests (see
 * `lbfgs-reads.ts`; `lbfgs-driver.ts` answers them). `state` is LBFGS's state (on the first
 * parameter, as PyTorch keeps it): the step works on local copies and commits them to `state`
 * at the end, so a step that fails leaves the state as it was (and frees what it created).
 */
export function* lbfgsAlgorithm(params: readonly Param[], hyper: LBFGSHyper, state: LbfgsState & ParamState): LbfgsGen<void> {
  const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = hyper;
  const p0 = params[0]!;
  const engine = p0.engine;
  const S = new ScalarOps(p0.dtype);

  let funcEvals = state.funcEvals ?? 0;
  let stateNIter = state.nIter ?? 0;

  // Tensors created during this step (kept out of tidy scopes); those that do not end up in
  // the state are disposed, promptly where possible and at the end otherwise.
  const tensors = new StepTensors(engine);
  let committed = false;

  try {
    // evaluate initial f(x) and df/dx
    let loss: number = yield { kind: 'closure' };
    let currentEvals = 1;
    funcEvals += 1;

    let flatGrad = tensors.own(() => gatherFlatGrad(params));
    let optCond = S.le(yield* absMaxNum(S, flatGrad), toleranceGrad);

    // optimal condition
    if (optCond) {
      state.funcEvals = funcEvals;
      state.nIter = stateNIter;
      committed = true;
      tensors.drop(flatGrad);
      return;
    }

    // tensors cached in state (for tracing)
    let d: Tensor | null = state.d ?? null;
    let t: Num = S.py(state.t ?? Number.NaN);
    const history: LbfgsHistory = {
      oldDirs: [...(state.oldDirs ?? [])],
      oldStps: [...(state.oldStps ?? [])],
      ro: (state.ro ?? []).map((v) => S.tensor(v)),
      HDiag: S.py(state.HDiag ?? 1),
      al: state.al?.map((v) => (v === null ? null : S.tensor(v))),
    };
    let prevFlatGrad: Tensor | null = state.prevFlatGrad ?? null;
    let prevLoss: number | null = state.prevLoss ?? null;

    let nIter = 0;
    // optimize for a max of maxIter iterations
    while (nIter < maxIter) {
      // keep track of nb of iterations
      nIter += 1;
      stateNIter += 1;

      // ---- compute gradient descent direction ----
      if (stateNIter === 1) {
        tensors.drop(d);
        const g0 = flatGrad;
        d = tensors.own(() => neg(g0));
        resetHistory(S, history, tensors);
      } else {
        // do lbfgs update (update memory)
        yield* updateHistory(S, history, flatGrad, prevFlatGrad!, d!, t, historySize, tensors);
        // compute the approximate (L-BFGS) inverse Hessian multiplied by the gradient
        const r = yield* twoLoopDirection(S, history, flatGrad, historySize, tensors);
        tensors.drop(d);
        d = r;
      }

      // prev_flat_grad.copy_(flat_grad) (a new tensor object sharing the buffer: nothing here
      // writes into buffers in place)
      const gNow = flatGrad;
      const nextPrev = tensors.own(() => detach(gNow));
      tensors.drop(prevFlatGrad);
      prevFlatGrad = nextPrev;
      prevLoss = loss;

      // ---- compute step length ----
      // reset initial guess for step size
      if (stateNIter === 1) {
        const fg = flatGrad;
        const absSum = yield* readNum(S, engine.tidy(() => sum(abs(fg))));
        t = S.mul(S.min(1.0, S.div(1.0, absSum)), lr);
      } else {
        t = S.py(lr);
      }

      // directional derivative
      const gtd = yield* dotNum(S, flatGrad, d); // g * d

      // directional derivative is below tolerance
      if (S.gt(gtd, -toleranceChange)) break;

      // optional line search: user function
      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        // perform line search, using user function
        const xInit = params.map((p) => tensors.own(() => detach(p)));
        const evaluate = directionalEvaluate(params, d, xInit, tensors);
        // PyTorch calls _strong_wolfe with its default tolerance_change (1e-9), not the group's
        const res = yield* strongWolfe(S, evaluate, t, d, loss, flatGrad, gtd);
        for (const x of xInit) tensors.drop(x);
        if (res.g !== flatGrad) tensors.forget(flatGrad); // disposed by the line search
        loss = res.f;
        flatGrad = res.g;
        t = res.t;
        lsFuncEvals = res.lsFuncEvals;
        addGrad(params, t.v, d);
        optCond = S.le(yield* absMaxNum(S, flatGrad), toleranceGrad);
      } else {
        // no line search, simply move with fixed-step
        addGrad(params, t.v, d);
        if (nIter !== maxIter) {
          // re-evaluate function only if not in last iteration (in a stochastic setting there
          // is no use re-evaluating the function here)
          loss = yield { kind: 'closure' };
          const g = tensors.own(() => gatherFlatGrad(params));
          tensors.drop(flatGrad);
          flatGrad = g;
          optCond = S.le(yield* absMaxNum(S, flatGrad), toleranceGrad);
          lsFuncEvals = 1;
        }
      }

      // update func eval
      currentEvals += lsFuncEvals;
      funcEvals += lsFuncEvals;

      // ---- check conditions ----
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      // optimal condition
      if (optCond) break;
      // lack of progress
      const dd = d;
      const tv = t.v;
      if (S.le(yield* readNum(S, engine.tidy(() => amax(abs(mul(dd, tv))))), toleranceChange)) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    // commit the new state (PyTorch's key order); free what the old state held and the new drops
    const next: LbfgsState = { funcEvals, nIter: stateNIter };
    if (history.al !== undefined) next.al = history.al.map((a) => (a === null ? null : a.v));
    next.d = d;
    next.t = t.v;
    next.oldDirs = history.oldDirs;
    next.oldStps = history.oldStps;
    next.ro = history.ro.map((v) => v.v);
    next.HDiag = history.HDiag.v;
    next.prevFlatGrad = prevFlatGrad;
    next.prevLoss = prevLoss;
    const kept = replaceState(state, next);
    committed = true;
    tensors.disposeExcept(kept);
  } finally {
    if (!committed) tensors.disposeAll();
  }
}
