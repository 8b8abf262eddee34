import type { Tensor } from '@backstep/tensor';
import { dotNum, type LbfgsGen } from './lbfgs-reads.js';
import type { Num, ScalarOps } from './lbfgs-scalars.js';

/** Evaluates the objective at `x + t·d` (params restored to `x` afterwards): `[loss, flatGrad]`. */
export type DirectionalEvaluate = (t: Num) => LbfgsGen<[number, Tensor]>;

/** A trial point of the line search: the step, and the loss, flat gradient and `g·d` there. */
export interface TrialPoint {
  /** The step. */
  readonly t: Num;
  /** The loss at `x + t·d`. */
  readonly f: number;
  /** The flat gradient at `x + t·d`. */
  readonly g: Tensor;
  /** The directional derivative `g·d`. */
  readonly gtd: Num;
}

/** Options of the strong Wolfe line search (torch's defaults). */
export interface StrongWolfeOptions {
  /** Sufficient decrease constant (default 1e-4). */
  c1?: number;
  /** Curvature constant (default 0.9). */
  c2?: number;
  /** Stop zooming when the bracket times `max|d|` is below this (default 1e-9). */
  toleranceChange?: number;
  /** Maximal number of line-search iterations (default 25). */
  maxLs?: number;
}

/**
 * One run of the strong Wolfe line search along `d` from the point `(x, f, g, gtd)`: its
 * constants, its counters (`lsIter`, `lsFuncEvals`, as torch's `_strong_wolfe` keeps them), the
 * trial evaluations, the two Wolfe conditions, and every gradient it has seen (all but the
 * returned one are disposed at the end).
 */
export class LineSearchRun {
  /** Sufficient decrease constant. */
  readonly c1: number;
  /** Curvature constant. */
  readonly c2: number;
  /** Minimal bracket width (times `max|d|`). */
  readonly toleranceChange: number;
  /** Maximal number of line-search iterations. */
  readonly maxLs: number;
  /** Line-search iterations made (the caller counts them, as torch does). */
  lsIter = 0;
  /** Closure evaluations made. */
  lsFuncEvals = 0;
  private readonly grads: Set<Tensor>;

  /**
   * @param S - the host-scalar arithmetic of the run's dtype
   * @param evaluate - the objective along `d`
   * @param d - the search direction
   * @param f - the loss at the start point
   * @param g - the flat gradient at the start point (disposed at the end unless returned)
   * @param gtd - the directional derivative at the start point
   */
  constructor(
    readonly S: ScalarOps,
    private readonly evaluate: DirectionalEvaluate,
    readonly d: Tensor,
    readonly f: number,
    readonly g: Tensor,
    readonly gtd: Num,
    options: StrongWolfeOptions,
  ) {
    this.c1 = options.c1 ?? 1e-4;
    this.c2 = options.c2 ?? 0.9;
    this.toleranceChange = options.toleranceChange ?? 1e-9;
    this.maxLs = options.maxLs ?? 25;
    this.grads = new Set<Tensor>([g]);
  }

  /** The start point (step 0). */
  start(): TrialPoint {
    return { t: this.S.py(0), f: this.f, g: this.g, gtd: this.gtd };
  }

  /** Evaluates the objective at step `t` (one closure evaluation) and reads `g·d` there. */
  *probe(t: Num): LbfgsGen<TrialPoint> {
    const [f, g] = yield* this.evaluate(t);
    this.grads.add(g);
    this.lsFuncEvals += 1;
    const gtd = yield* dotNum(this.S, g, this.d);
    return { t, f, g, gtd };
  }

  /** Whether `p` violates the sufficient decrease (Armijo) condition `f(t) <= f + c1·t·gtd`. */
  armijoFails(p: TrialPoint): boolean {
    const S = this.S;
    return S.gt(p.f, S.add(this.f, S.mul(S.mul(this.c1, p.t), this.gtd)));
  }

  /** Whether `p` satisfies the strong curvature condition `|g(t)·d| <= -c2·gtd`. */
  curvatureHolds(p: TrialPoint): boolean {
    const S = this.S;
    return S.le(S.abs(p.gtd), S.mul(-this.c2, this.gtd));
  }

  /** Disposes every gradient seen except `keep`. */
  disposeExcept(keep: Tensor | null): void {
    for (const x of this.grads) if (x !== keep) x.dispose();
  }
}
