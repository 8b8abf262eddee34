/**
 * An independent plain-number transliteration of torch 1.13's `_strong_wolfe` /
 * `_cubic_interpolate` (torch/optim/lbfgs.py), in float64 where ScalarOps does plain double
 * arithmetic, counting the branches it takes (`hits`). The reference of
 * lbfgs-line-search.test.ts.
 */

/** How often each branch of the reference was taken (see `hit`). */
export const hits = new Map<string, number>();
const hit = (name: string): void => {
  hits.set(name, (hits.get(name) ?? 0) + 1);
};

/**
 * A step value and whether PyTorch holds it as a 0-d tensor. In float64 this only matters for
 * `python_float / tensor`, which torch computes as `tensor.reciprocal() * python_float`.
 */
export interface V {
  v: number;
  T: boolean;
}
/** A Python float. */
export const py = (v: number): V => ({ v, T: false });
const pyMax = (a: V, b: V): V => (b.v > a.v ? b : a);
const pyMin = (a: V, b: V): V => (b.v < a.v ? b : a);
const minus = (a: V, b: V): V => ({ v: a.v - b.v, T: a.T || b.T });
const plus = (a: V, b: V): V => ({ v: a.v + b.v, T: a.T || b.T });
const times = (a: V, k: number): V => ({ v: a.v * k, T: a.T });

/** torch's `_cubic_interpolate`, in plain numbers. */
function refCubic(x1: V, f1: number, g1: number, x2: V, f2: number, g2: number, bounds?: [V, V]): V {
  let xminBound: V;
  let xmaxBound: V;
  if (bounds !== undefined) [xminBound, xmaxBound] = bounds;
  else [xminBound, xmaxBound] = x1.v <= x2.v ? [x1, x2] : [x2, x1];
  const dx = minus(x1, x2);
  const slope = dx.T ? (1 / dx.v) * (3 * (f1 - f2)) : (3 * (f1 - f2)) / dx.v;
  const d1 = g1 + g2 - slope;
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    hit('cubic: real minimizer');
    const d2 = Math.sqrt(d2Square);
    let minPos: number;
    if (x1.v <= x2.v) minPos = x2.v - (x2.v - x1.v) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2));
    else {
      hit('cubic: x1 > x2');
      minPos = x1.v - (x1.v - x2.v) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    }
    return pyMin(pyMax({ v: minPos, T: true }, xminBound), xmaxBound);
  }
  hit('cubic: midpoint');
  return times(plus(xminBound, xmaxBound), 1 / 2.0);
}

/** 1-D objective: `[f(x), f'(x)]`; the search runs along `x + t·d`. */
export type Objective = (x: number) => [number, number];

/** torch's `_strong_wolfe` along `x + t·d` of a 1-D objective, in plain numbers; `evals` are the trial steps. */
export function refStrongWolfe(
  obj: Objective,
  x: number,
  t0: V,
  d: number,
  f: number,
  g: number,
  gtd: number,
  maxLs = 25,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
): { t: number; f: number; g: number; evals: number[] } {
  const evals: number[] = [];
  const objFunc = (tt: V): [number, number] => {
    evals.push(tt.v);
    return obj(x + tt.v * d);
  };
  let t = t0;
  const dNorm = Math.abs(d);
  let [fNew, gNew] = objFunc(t);
  let gtdNew = gNew * d;
  let tPrev = py(0);
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: V[] = [];
  let bracketF: number[] = [];
  let bracketG: number[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t.v * gtd || (lsIter > 1 && fNew >= fPrev)) {
      hit(fNew > f + c1 * t.v * gtd ? 'bracket: armijo fails' : 'bracket: no decrease');
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      hit('bracket: wolfe holds');
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      hit('bracket: slope turns positive');
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    hit('bracket: extrapolate');
    const minStep = plus(t, times(minus(t, tPrev), 0.01));
    const maxStep = times(t, 10);
    const tmp = t;
    t = refCubic(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(t);
    gtdNew = gNew * d;
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    hit('max_ls reached');
    bracket = [py(0), t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1]!.v - bracket[0]!.v) * dNorm < toleranceChange) {
      hit('zoom: bracket too small');
      break;
    }
    t = refCubic(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
    const bMax = pyMax(bracket[0]!, bracket[1]!);
    const bMin = pyMin(bracket[0]!, bracket[1]!);
    const eps = times(minus(bMax, bMin), 0.1);
    if (Math.min(bMax.v - t.v, t.v - bMin.v) < eps.v) {
      if (insufProgress || t.v >= bMax.v || t.v <= bMin.v) {
        hit('zoom: moved away from the boundary');
        t = Math.abs(t.v - bMax.v) < Math.abs(t.v - bMin.v) ? minus(bMax, eps) : plus(bMin, eps);
        insufProgress = false;
      } else {
        hit('zoom: insufficient progress');
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = objFunc(t);
    gtdNew = gNew * d;
    lsIter += 1;
    if (fNew > f + c1 * t.v * gtd || fNew >= bracketF[lowPos]!) {
      hit('zoom: new high');
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew;
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        hit('zoom: wolfe holds');
        done = true;
      } else if (gtdNew * (bracket[highPos]!.v - bracket[lowPos]!.v) >= 0) {
        hit('zoom: old high becomes low');
        bracket[highPos] = bracket[lowPos]!;
        bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!;
        bracketGtd[highPos] = bracketGtd[lowPos]!;
      } else hit('zoom: new low');
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew;
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return { t: bracket[lowPos]!.v, f: bracketF[lowPos]!, g: bracketG[lowPos]!, evals };
}
