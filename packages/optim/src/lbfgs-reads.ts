import { abs, amax, mul, sum, type Tensor } from '@backstep/tensor';
import type { Num, ScalarOps } from './lbfgs-scalars.js';

/**
 * How the LBFGS algorithm reads host scalars.
 *
 * The algorithm runs as a generator that yields {@link LbfgsRequest}s: "read this 0-d tensor"
 * and "evaluate the closure". A driver (`lbfgs-driver.ts`) answers them, synchronously with
 * `item()` and `closure()` or asynchronously with `await itemAsync()` and `await closure()`, so
 * one algorithm serves `LBFGS.step` (backends with synchronous reads, e.g. CPU) and
 * `LBFGS.stepAsync` (every backend).
 */

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
