import { abs, amax, mul, sum, type DType, type Tensor } from '@backstep/tensor';

/**
 * The strong Wolfe line search of LBFGS and its cubic interpolation, ported from torch 1.13's
 * `torch/optim/lbfgs.py` (`_strong_wolfe`, `_cubic_interpolate`, themselves ports of
 * `lswolfe.lua` / `polyinterp.lua`), plus the host-scalar arithmetic both need.
 *
 * ## Host scalars
 *
 * PyTorch's LBFGS mixes Python floats (double: the loss, `lr`, the constants `c1`, `c2`, ...) and
 * 0-d tensors of the parameters' dtype (dot products, `ro`, `H_diag`, the directional
 * derivatives, and the step `t` once it came from a tensor). An operation involving a 0-d
 * tensor is computed in the tensor's dtype (the Python float is cast first), an operation on
 * two Python floats in double. {@link Num} records which of the two a value is and
 * {@link ScalarOps} reproduces the promotion, so the float32 branch decisions of the line search
 * are PyTorch's (in float64 both kinds are doubles and nothing is rounded).
 *
 * ## Reads
 *
 * The algorithm runs as a generator that yields {@link LbfgsRequest}s: "read this 0-d tensor"
 * and "evaluate the closure". A synchronous driver answers them with `item()` and `closure()`, an
 * asynchronous one with `await itemAsync()` and `await closure()`, so one algorithm serves
 * `LBFGS.step` (backends with synchronous reads, e.g. CPU) and `LBFGS.stepAsync` (every backend).
 */

/** A host scalar: a Python float (`tensor: false`, double) or a 0-d tensor of the run's dtype. */
export interface Num {
  /** The value (already rounded to the dtype when `tensor`). */
  readonly v: number;
  /** Whether PyTorch holds it as a 0-d tensor (arithmetic with it happens in the dtype). */
  readonly tensor: boolean;
}

/** A Python float or a plain JS number (treated as a Python float). */
export type NumLike = Num | number;

/**
 * Arithmetic on {@link Num}s with PyTorch's scalar/0-d-tensor promotion for one dtype: if an
 * operand is a tensor, both operands are rounded to the dtype, the operation is done and rounded
 * (float32: `Math.fround`, exact for + - * / sqrt); otherwise it is a double operation.
 * Comparisons with a tensor operand compare the dtype-rounded values, as PyTorch's do.
 */
export class ScalarOps {
  /** The parameters' dtype. */
  readonly dtype: DType;
  private readonly r: (v: number) => number;

  constructor(dtype: DType) {
    this.dtype = dtype;
    this.r = dtype === 'float32' ? Math.fround : (v: number) => v;
  }

  /** A Python float. */
  py(v: number): Num {
    return { v, tensor: false };
  }

  /** A 0-d tensor holding `v` (rounded to the dtype). */
  tensor(v: number): Num {
    return { v: this.r(v), tensor: true };
  }

  private n(a: NumLike): Num {
    return typeof a === 'number' ? { v: a, tensor: false } : a;
  }

  private bin(a: NumLike, b: NumLike, f: (x: number, y: number) => number): Num {
    const x = this.n(a);
    const y = this.n(b);
    if (x.tensor || y.tensor) return this.tensor(f(this.r(x.v), this.r(y.v)));
    return { v: f(x.v, y.v), tensor: false };
  }

  private cmp(a: NumLike, b: NumLike): [number, number] {
    const x = this.n(a);
    const y = this.n(b);
    return x.tensor || y.tensor ? [this.r(x.v), this.r(y.v)] : [x.v, y.v];
  }

  /** `a + b`. */
  add(a: NumLike, b: NumLike): Num {
    return this.bin(a, b, (x, y) => x + y);
  }

  /** `a - b`. */
  sub(a: NumLike, b: NumLike): Num {
    return this.bin(a, b, (x, y) => x - y);
  }

  /** `a * b`. */
  mul(a: NumLike, b: NumLike): Num {
    return this.bin(a, b, (x, y) => x * y);
  }

  /**
   * `a / b`. A Python float divided by a tensor is `b.reciprocal() * a` in PyTorch
   * (`Tensor.__rtruediv__`): two roundings, reproduced here.
   */
  div(a: NumLike, b: NumLike): Num {
    const x = this.n(a);
    const y = this.n(b);
    if (!x.tensor && y.tensor) return this.tensor(this.r(1 / y.v) * this.r(x.v));
    return this.bin(x, y, (u, w) => u / w);
  }

  /** `-a`. */
  neg(a: NumLike): Num {
    const x = this.n(a);
    return { v: -x.v, tensor: x.tensor };
  }

  /** `abs(a)`. */
  abs(a: NumLike): Num {
    const x = this.n(a);
    return { v: Math.abs(x.v), tensor: x.tensor };
  }

  /** `a.sqrt()` (only called on tensors in LBFGS). */
  sqrt(a: NumLike): Num {
    const x = this.n(a);
    return x.tensor ? this.tensor(Math.sqrt(x.v)) : { v: Math.sqrt(x.v), tensor: false };
  }

  /** `a ** 2` (PyTorch computes a tensor's square as `a * a`). */
  square(a: NumLike): Num {
    return this.mul(a, a);
  }

  /** `a < b`. */
  lt(a: NumLike, b: NumLike): boolean {
    const [x, y] = this.cmp(a, b);
    return x < y;
  }

  /** `a <= b`. */
  le(a: NumLike, b: NumLike): boolean {
    const [x, y] = this.cmp(a, b);
    return x <= y;
  }

  /** `a > b`. */
  gt(a: NumLike, b: NumLike): boolean {
    const [x, y] = this.cmp(a, b);
    return x > y;
  }

  /** `a >= b`. */
  ge(a: NumLike, b: NumLike): boolean {
    const [x, y] = this.cmp(a, b);
    return x >= y;
  }

  /** Python's `min(a, b)`: `b` if `b < a`, else `a` (the operand itself, kind included). */
  min(a: NumLike, b: NumLike): Num {
    return this.lt(b, a) ? this.n(b) : this.n(a);
  }

  /** Python's `max(a, b)`: `b` if `b > a`, else `a`. */
  max(a: NumLike, b: NumLike): Num {
    return this.gt(b, a) ? this.n(b) : this.n(a);
  }
}

/** What the LBFGS algorithm asks its driver for. */
export type LbfgsRequest =
  /** Read a one-element tensor (answered with its value). The algorithm disposes it afterwards. */
  | { kind: 'read'; tensor: Tensor }
  /** Evaluate the closure (answered with `float(loss)`). */
  | { kind: 'closure' };

/** A step of the LBFGS algorithm: yields requests, receives numbers, returns `R`. */
export type LbfgsGen<R> = Generator<LbfgsRequest, R, number>;

/** Reads a one-element tensor as a 0-d tensor value of the dtype, then disposes the tensor. */
export function* readNum(S: ScalarOps, t: Tensor): LbfgsGen<Num> {
  try {
    const v: number = yield { kind: 'read', tensor: t };
    return S.tensor(v);
  } finally {
    t.dispose();
  }
}

/**
 * `a.dot(b)`, read as a 0-d tensor value. Computed as `sum(a * b)`: the products are rounded to
 * the dtype and summed in higher precision, which is what PyTorch's CPU float32 `dot` (OpenBLAS
 * `sdot`: float products accumulated in double) gives for the vector lengths of the golden
 * cases; with it (and {@link ScalarOps} and the fused `x + alpha·u`) the float32 Rosenbrock runs
 * reproduce PyTorch bit for bit.
 */
export function* dotNum(S: ScalarOps, a: Tensor, b: Tensor): LbfgsGen<Num> {
  return yield* readNum(S, a.engine.tidy(() => sum(mul(a, b))));
}

/** `t.abs().max()`, read as a 0-d tensor value. */
export function* absMaxNum(S: ScalarOps, t: Tensor): LbfgsGen<Num> {
  return yield* readNum(S, t.engine.tidy(() => amax(abs(t))));
}

/**
 * torch's `_cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds)`: the minimizer of the cubic
 * through two points with function values `f` and derivatives `g`, clamped to `bounds` (default:
 * the interval between the points); the bounds' midpoint when the cubic has no real minimizer.
 */
export function cubicInterpolate(
  S: ScalarOps,
  x1: NumLike,
  f1: NumLike,
  g1: NumLike,
  x2: NumLike,
  f2: NumLike,
  g2: NumLike,
  bounds?: readonly [NumLike, NumLike],
): Num {
  // Compute bounds of interpolation area
  let xminBound: NumLike;
  let xmaxBound: NumLike;
  if (bounds !== undefined) [xminBound, xmaxBound] = bounds;
  else [xminBound, xmaxBound] = S.le(x1, x2) ? [x1, x2] : [x2, x1];
  // Most common case: cubic interpolation of 2 points w/ function and derivative values for both
  //   d1 = g1 + g2 - 3*(f1-f2)/(x1-x2);
  //   d2 = sqrt(d1^2 - g1*g2);
  //   min_pos = x2 - (x2 - x1)*((g2 + d2 - d1)/(g2 - g1 + 2*d2));
  //   t_new = min(max(min_pos,xmin_bound),xmax_bound);
  const d1 = S.sub(S.add(g1, g2), S.div(S.mul(3, S.sub(f1, f2)), S.sub(x1, x2)));
  const d2Square = S.sub(S.square(d1), S.mul(g1, g2));
  if (S.ge(d2Square, 0)) {
    const d2 = S.sqrt(d2Square);
    let minPos: Num;
    if (S.le(x1, x2)) {
      minPos = S.sub(x2, S.mul(S.sub(x2, x1), S.div(S.sub(S.add(g2, d2), d1), S.add(S.sub(g2, g1), S.mul(2, d2)))));
    } else {
      minPos = S.sub(x1, S.mul(S.sub(x1, x2), S.div(S.sub(S.add(g1, d2), d1), S.add(S.sub(g1, g2), S.mul(2, d2)))));
    }
    return S.min(S.max(minPos, xminBound), xmaxBound);
  }
  return S.div(S.add(xminBound, xmaxBound), 2.0);
}

/** Evaluates the objective at `x + t·d` (params restored to `x` afterwards): `[loss, flatGrad]`. */
export type DirectionalEvaluate = (t: Num) => LbfgsGen<[number, Tensor]>;

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

/** Options of {@link strongWolfe} (torch's defaults). */
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
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const toleranceChange = options.toleranceChange ?? 1e-9;
  const maxLs = options.maxLs ?? 25;
  // every gradient tensor seen here; all but the returned one are disposed at the end
  const grads = new Set<Tensor>([g]);
  let result: Tensor | null = null;
  try {
    let t = t0;
    const dNorm = yield* absMaxNum(S, d);
    // evaluate objective and gradient using initial step
    let [fNew, gNew] = yield* evaluate(t);
    grads.add(gNew);
    let lsFuncEvals = 1;
    let gtdNew = yield* dotNum(S, gNew, d);

    // bracket an interval containing a point satisfying the Wolfe criteria
    let tPrev: Num = S.py(0);
    let fPrev = f;
    let gPrev = g;
    let gtdPrev = gtd;
    let done = false;
    let lsIter = 0;
    let bracket: Num[] = [];
    let bracketF: number[] = [];
    let bracketG: Tensor[] = [];
    let bracketGtd: Num[] = [];
    while (lsIter < maxLs) {
      // check conditions
      if (S.gt(fNew, S.add(f, S.mul(S.mul(c1, t), gtd))) || (lsIter > 1 && fNew >= fPrev)) {
        bracket = [tPrev, t];
        bracketF = [fPrev, fNew];
        bracketG = [gPrev, gNew];
        bracketGtd = [gtdPrev, gtdNew];
        break;
      }
      if (S.le(S.abs(gtdNew), S.mul(-c2, gtd))) {
        bracket = [t];
        bracketF = [fNew];
        bracketG = [gNew];
        done = true;
        break;
      }
      if (S.ge(gtdNew, 0)) {
        bracket = [tPrev, t];
        bracketF = [fPrev, fNew];
        bracketG = [gPrev, gNew];
        bracketGtd = [gtdPrev, gtdNew];
        break;
      }
      // interpolate
      const minStep = S.add(t, S.mul(0.01, S.sub(t, tPrev)));
      const maxStep = S.mul(t, 10);
      const tmp = t;
      t = cubicInterpolate(S, tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
      // next step
      tPrev = tmp;
      fPrev = fNew;
      gPrev = gNew;
      gtdPrev = gtdNew;
      [fNew, gNew] = yield* evaluate(t);
      grads.add(gNew);
      lsFuncEvals += 1;
      gtdNew = yield* dotNum(S, gNew, d);
      lsIter += 1;
    }

    // reached max number of iterations?
    if (lsIter === maxLs) {
      bracket = [S.py(0), t];
      bracketF = [f, fNew];
      bracketG = [g, gNew];
    }

    // zoom phase: we now have a point satisfying the criteria, or a bracket around it. We refine
    // the bracket until we find the exact point satisfying the criteria
    let insufProgress = false;
    // find high and low points in bracket
    let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
    while (!done && lsIter < maxLs) {
      // line-search bracket is so small
      if (S.lt(S.mul(S.abs(S.sub(bracket[1]!, bracket[0]!)), dNorm), toleranceChange)) break;

      // compute new trial value
      t = cubicInterpolate(S, bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);

      // test that we are making sufficient progress: in case `t` is so close to boundary, we
      // mark that we are making insufficient progress, and if
      //   + we have made insufficient progress in the last step, or
      //   + `t` is at one of the boundary,
      // we will move `t` to a position which is `0.1 * len(bracket)` away from the nearest
      // boundary point.
      const bMax = S.max(bracket[0]!, bracket[1]!);
      const bMin = S.min(bracket[0]!, bracket[1]!);
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
      [fNew, gNew] = yield* evaluate(t);
      grads.add(gNew);
      lsFuncEvals += 1;
      gtdNew = yield* dotNum(S, gNew, d);
      lsIter += 1;

      if (S.gt(fNew, S.add(f, S.mul(S.mul(c1, t), gtd))) || fNew >= bracketF[lowPos]!) {
        // Armijo condition not satisfied or not lower than lowest point
        bracket[highPos] = t;
        bracketF[highPos] = fNew;
        bracketG[highPos] = gNew;
        bracketGtd[highPos] = gtdNew;
        [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
      } else {
        if (S.le(S.abs(gtdNew), S.mul(-c2, gtd))) {
          // Wolfe conditions satisfied
          done = true;
        } else if (S.ge(S.mul(gtdNew, S.sub(bracket[highPos]!, bracket[lowPos]!)), 0)) {
          // old high becomes new low
          bracket[highPos] = bracket[lowPos]!;
          bracketF[highPos] = bracketF[lowPos]!;
          bracketG[highPos] = bracketG[lowPos]!;
          bracketGtd[highPos] = bracketGtd[lowPos]!;
        }
        // new point becomes new low
        bracket[lowPos] = t;
        bracketF[lowPos] = fNew;
        bracketG[lowPos] = gNew;
        bracketGtd[lowPos] = gtdNew;
      }
    }

    // return stuff
    result = bracketG[lowPos]!;
    return { f: bracketF[lowPos]!, g: result, t: bracket[lowPos]!, lsFuncEvals };
  } finally {
    for (const x of grads) if (x !== result) x.dispose();
  }
}
