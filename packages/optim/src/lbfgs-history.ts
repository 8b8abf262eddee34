import { mul, neg, sub, type Tensor } from '@backstep/tensor';
import { axpy } from './lbfgs-flat.js';
import { dotNum, type LbfgsGen } from './lbfgs-reads.js';
import type { Num, ScalarOps } from './lbfgs-scalars.js';
import type { StepTensors } from './lbfgs-step-tensors.js';

/**
 * LBFGS's limited memory: the curvature pairs `(y, s)` with `ro = 1 / y·s`, the scale `H_diag` of
 * the initial inverse Hessian, the two-loop recursion's buffer `al`, and the two operations of
 * torch 1.13's `LBFGS.step` on them (the history update and the search direction).
 */
export interface LbfgsHistory {
  /** The gradient differences `y` (torch's `old_dirs`), oldest first. */
  oldDirs: Tensor[];
  /** The steps `s` (torch's `old_stps`), oldest first. */
  oldStps: Tensor[];
  /** `1 / y·s` of each pair. */
  ro: Num[];
  /** The scale of the initial inverse Hessian approximation (`y·s / y·y` of the newest pair). */
  HDiag: Num;
  /** The two-loop recursion's `al` (`historySize` entries; created on first use). */
  al: Array<Num | null> | undefined;
}

/** Empties the history (the first iteration's reset): drops its vectors, `H_diag = 1`. */
export function resetHistory(S: ScalarOps, h: LbfgsHistory, tensors: StepTensors): void {
  for (const x of [...h.oldDirs, ...h.oldStps]) tensors.drop(x);
  h.oldDirs = [];
  h.oldStps = [];
  h.ro = [];
  h.HDiag = S.py(1);
}

/**
 * The memory update of torch's LBFGS: with `y = g - prevG` and `s = t·d`, stores the pair when
 * `y·s > 1e-10` (dropping the oldest one when `historySize` pairs are kept) and rescales
 * `H_diag = y·s / y·y`; otherwise the history is left as it is.
 */
export function* updateHistory(
  S: ScalarOps,
  h: LbfgsHistory,
  g: Tensor,
  prevG: Tensor,
  d: Tensor,
  t: Num,
  historySize: number,
  tensors: StepTensors,
): LbfgsGen<void> {
  const y = tensors.own(() => sub(g, prevG));
  const s = tensors.own(() => mul(d, t.v));
  const ys = yield* dotNum(S, y, s); // y*s
  if (S.gt(ys, 1e-10)) {
    // updating memory
    if (h.oldDirs.length === historySize) {
      // shift history by one (limited-memory)
      tensors.drop(h.oldDirs.shift());
      tensors.drop(h.oldStps.shift());
      h.ro.shift();
    }
    // store new direction/step
    h.oldDirs.push(y);
    h.oldStps.push(s);
    h.ro.push(S.div(1.0, ys));
    // update scale of initial Hessian approximation
    h.HDiag = S.div(ys, yield* dotNum(S, y, y)); // (y*y)
  } else {
    tensors.drop(y);
    tensors.drop(s);
  }
}

/**
 * The two-loop recursion: the approximate (L-BFGS) inverse Hessian times `-g`, i.e. the new
 * search direction (owned by `tensors`). Fills `h.al` (creating it on first use).
 */
export function* twoLoopDirection(S: ScalarOps, h: LbfgsHistory, g: Tensor, historySize: number, tensors: StepTensors): LbfgsGen<Tensor> {
  const { oldDirs, oldStps, ro } = h;
  const numOld = oldDirs.length;
  const al = (h.al ??= new Array<Num | null>(historySize).fill(null));

  // iteration in L-BFGS loop collapsed to use just one buffer
  let q = tensors.own(() => neg(g));
  for (let i = numOld - 1; i >= 0; i--) {
    const ai = S.mul(yield* dotNum(S, oldStps[i]!, q), ro[i]!);
    al[i] = ai;
    const qi = q;
    const next = tensors.own(() => axpy(qi, oldDirs[i]!, S.neg(ai).v)); // q.add_(old_dirs[i], alpha=-al[i])
    tensors.drop(q);
    q = next;
  }

  // multiply by initial Hessian; r/d is the final direction
  const q0 = q;
  const hDiag = h.HDiag;
  let r = tensors.own(() => mul(q0, hDiag.v));
  tensors.drop(q);
  for (let i = 0; i < numOld; i++) {
    const beI = S.mul(yield* dotNum(S, oldDirs[i]!, r), ro[i]!);
    const alpha = S.sub(al[i]!, beI).v;
    const ri = r;
    const next = tensors.own(() => axpy(ri, oldStps[i]!, alpha)); // r.add_(old_stps[i], alpha=al[i] - be_i)
    tensors.drop(r);
    r = next;
  }
  return r;
}
