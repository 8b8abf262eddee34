import type { Num, NumLike, ScalarOps } from './lbfgs-scalars.js';

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
