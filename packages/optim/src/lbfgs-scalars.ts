import type { DType } from '@backstep/tensor';

/**
 * Host-scalar arithmetic of LBFGS with PyTorch's promotion rules.
 *
 * PyTorch's LBFGS mixes Python floats (double: the loss, `lr`, the constants `c1`, `c2`, ...) and
 * 0-d tensors of the parameters' dtype (dot products, `ro`, `H_diag`, the directional
 * derivatives, and the step `t` once it came from a tensor). An operation involving a 0-d
 * tensor is computed in the tensor's dtype (the Python float is cast first), an operation on
 * two Python floats in double. {@link Num} records which of the two a value is and
 * {@link ScalarOps} reproduces the promotion, so the float32 branch decisions of the line search
 * are PyTorch's (in float64 both kinds are doubles and nothing is rounded).
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

  /** @param dtype - the parameters' dtype (float32 rounds with `Math.fround`, float64 not at all). */
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
