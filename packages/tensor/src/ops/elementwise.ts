import { isFloat } from '../dtype.js';
import { DTypeError } from '../errors.js';
import type { BinaryKernel, CompareKernel, UnaryKernel } from '../kernel-names.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor, binaryOperands, cast, type TensorOrScalar } from './operands.js';

function binary(kernel: BinaryKernel, a: TensorOrScalar, b: TensorOrScalar, floatResult = false): Tensor {
  const [ta, tb] = binaryOperands(a, b, kernel, floatResult);
  broadcastShapes(ta.shape, tb.shape, kernel);
  return ta.engine.run(kernel, [ta, tb], {});
}

/** `a + alpha * b`, broadcasting. */
export function add(a: TensorOrScalar, b: TensorOrScalar, options: { alpha?: number } = {}): Tensor {
  if (options.alpha !== undefined && options.alpha !== 1) return binary('add', a, mul(b, options.alpha));
  return binary('add', a, b);
}

/** `a - alpha * b`, broadcasting. */
export function sub(a: TensorOrScalar, b: TensorOrScalar, options: { alpha?: number } = {}): Tensor {
  if (options.alpha !== undefined && options.alpha !== 1) return binary('sub', a, mul(b, options.alpha));
  return binary('sub', a, b);
}

/** `a * b`, broadcasting. */
export function mul(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('mul', a, b);
}

/**
 * `a / b`, broadcasting. True division (int inputs give float32) unless `roundingMode` is
 * `'trunc'` or `'floor'`.
 */
export function div(a: TensorOrScalar, b: TensorOrScalar, options: { roundingMode?: 'trunc' | 'floor' | null } = {}): Tensor {
  const q = binary('div', a, b, true);
  if (!options.roundingMode) return q;
  const r = options.roundingMode === 'floor' ? floor(q) : trunc(q);
  const [ta] = binaryOperands(a, b, 'div');
  return isFloat(ta.dtype) ? r : cast(r, ta.dtype);
}

/** `a ** b`, broadcasting (`pow(x, 2)`, `pow(2, x)`, `pow(x, y)`). */
export function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('pow', a, b);
}

/** Elementwise maximum (NaN propagates). */
export function maximum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('maximum', a, b);
}

/** Elementwise minimum (NaN propagates). */
export function minimum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('minimum', a, b);
}

/** Elementwise atan2(a, b). */
export function atan2(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary('atan2', a, b, true);
}

function unary(kernel: UnaryKernel, x: Tensor, floatOnly = false): Tensor {
  assertTensor(x, kernel);
  if (floatOnly && !isFloat(x.dtype)) x = cast(x, 'float32');
  return x.engine.run(kernel, [x], {});
}

/** `-x`. */
export const neg = (x: Tensor): Tensor => {
  assertTensor(x, 'neg');
  if (x.dtype === 'bool') throw new DTypeError('neg: negation of a bool tensor is not supported; use logicalNot');
  return unary('neg', x);
};
/** e^x. */
export const exp = (x: Tensor): Tensor => unary('exp', x, true);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x, true);
/** Square root. */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, true);
/** 1 / sqrt(x). */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x, true);
/** |x| (its gradient at 0 is 0, as in PyTorch). */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** Sign: -1, 0 or 1. */
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** Sine. */
export const sin = (x: Tensor): Tensor => unary('sin', x, true);
/** Cosine. */
export const cos = (x: Tensor): Tensor => unary('cos', x, true);
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x, true);
/** Logistic sigmoid. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x, true);
/** max(x, 0). */
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** GELU; `approximate: 'tanh'` uses the tanh approximation. */
export const gelu = (x: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor =>
  unary(options.approximate === 'tanh' ? 'gelutanh' : 'gelu', x, true);
/** Error function. */
export const erf = (x: Tensor): Tensor => unary('erf', x, true);
/** Round down. */
export const floor = (x: Tensor): Tensor => (isFloat(x.dtype) ? unary('floor', x) : x);
/** Round up. */
export const ceil = (x: Tensor): Tensor => (isFloat(x.dtype) ? unary('ceil', x) : x);
/** Round half to even. */
export const round = (x: Tensor): Tensor => (isFloat(x.dtype) ? unary('round', x) : x);
/** Round toward zero. */
export const trunc = (x: Tensor): Tensor => (isFloat(x.dtype) ? mul(sign(x), floor(abs(x))) : x);
/** log(1 + x). */
export const log1p = (x: Tensor): Tensor => unary('log1p', x, true);
/** e^x - 1. */
export const expm1 = (x: Tensor): Tensor => unary('expm1', x, true);
/** 1 / x. */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x, true);
/** x². */
export const square = (x: Tensor): Tensor => mul(x, x);
/** SiLU / swish: x * sigmoid(x). */
export const silu = (x: Tensor): Tensor => mul(x, sigmoid(x));
/** Leaky ReLU. */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => where(gt(x, 0), x, mul(x, negativeSlope));
/** softplus(x) = log(1 + e^x) / beta, linear above `threshold`. */
export const softplus = (x: Tensor, options: { beta?: number; threshold?: number } = {}): Tensor => {
  const beta = options.beta ?? 1;
  const threshold = options.threshold ?? 20;
  const bx = mul(x, beta);
  return where(gt(bx, threshold), x, div(log1p(exp(bx)), beta));
};
/** Logical not (returns bool). */
export const logicalNot = (x: Tensor): Tensor => unary('logicalNot', x);
/** Whether each element is NaN (bool). */
export const isnan = (x: Tensor): Tensor => unary('isnan', x);
/** Whether each element is ±Infinity (bool). */
export const isinf = (x: Tensor): Tensor => unary('isinf', x);
/** Whether each element is finite (bool). */
export const isfinite = (x: Tensor): Tensor => logicalNot(logicalOr(isnan(x), isinf(x)));

function compare(kernel: CompareKernel, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const [ta, tb] = binaryOperands(a, b, kernel);
  broadcastShapes(ta.shape, tb.shape, kernel);
  return ta.engine.run(kernel, [ta, tb], {});
}

/** a == b (bool). */
export const eq = (a: TensorOrScalar, b: TensorOrScalar): Tensor => compare('eq', a, b);
/** a != b (bool). */
export const ne = (a: TensorOrScalar, b: TensorOrScalar): Tensor => compare('ne', a, b);
/** a < b (bool). */
export const lt = (a: TensorOrScalar, b: TensorOrScalar): Tensor => compare('lt', a, b);
/** a <= b (bool). */
export const le = (a: TensorOrScalar, b: TensorOrScalar): Tensor => compare('le', a, b);
/** a > b (bool). */
export const gt = (a: TensorOrScalar, b: TensorOrScalar): Tensor => compare('gt', a, b);
/** a >= b (bool). */
export const ge = (a: TensorOrScalar, b: TensorOrScalar): Tensor => compare('ge', a, b);
/** Logical and (bool). */
export const logicalAnd = (a: TensorOrScalar, b: TensorOrScalar): Tensor => compare('logicalAnd', a, b);
/** Logical or (bool). */
export const logicalOr = (a: TensorOrScalar, b: TensorOrScalar): Tensor => compare('logicalOr', a, b);

/** Picks `a` where `cond` is true and `b` elsewhere, broadcasting all three. */
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  assertTensor(cond, 'where', 'condition');
  if (cond.dtype !== 'bool') throw new DTypeError(`where: expected condition to be a bool tensor, got ${cond.dtype}`);
  const aa = a instanceof Tensor || b instanceof Tensor ? a : cond.engine.run('fill', [], { shape: [], dtype: 'float32', value: a }, cond.backendName);
  const [ta, tb] = binaryOperands(aa, b, 'where');
  broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  return cond.engine.run('where', [cond, ta, tb], {});
}

/** Replaces elements where `mask` is true with `value` (PyTorch's `masked_fill`). */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  assertTensor(x, 'maskedFill');
  return where(mask, value, x);
}

/** Clamps to [min, max]; either bound may be null. Gradient passes where min ≤ x ≤ max. */
export function clamp(x: Tensor, options: { min?: number | null; max?: number | null }): Tensor {
  assertTensor(x, 'clamp');
  const min = options.min ?? null;
  const max = options.max ?? null;
  if (min === null && max === null) throw new RangeError("clamp: at least one of 'min' or 'max' must not be null");
  return x.engine.run('clamp', [x], { min, max });
}

/** Whether all elements are close: |a - b| ≤ atol + rtol·|b| (NaNs are never close). */
export function allclose(a: Tensor, b: Tensor, options: { rtol?: number; atol?: number } = {}): boolean {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  return a.engine.tidy(() => {
    const close = le(abs(sub(a, b)), add(mul(abs(cast(b, a.dtype)), rtol), atol));
    return close.dataSync().every((v) => v === 1);
  });
}
