import { scalarLike } from '../creation.js';
import { isFloat, resultType, type DType } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { Tensor } from '../tensor.js';

/** A tensor or a JS number (numbers become 0-d tensors that do not raise the result dtype). */
export type TensorOrScalar = Tensor | number;

/** Throws a clear error unless `x` is a live tensor. */
export function assertTensor(x: unknown, op: string, name = 'input'): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: expected ${name} to be a Tensor, got ${x === null ? 'null' : typeof x}`);
  }
  x.assertLive(op);
}

/** Converts `x` to `dtype` (returns `x` itself when it already has it). */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor(x, 'cast');
  if (x.dtype === dtype) return x;
  return x.engine.run('cast', [x], { dtype });
}

/**
 * Brings two operands of a binary op to tensors of one dtype (PyTorch's promotion: JS numbers
 * and 0-d tensors only raise the dtype's category). `minDType` forces at least e.g. float32.
 */
export function binaryOperands(a: TensorOrScalar, b: TensorOrScalar, op: string, floatResult = false): [Tensor, Tensor] {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw new TypeError(`${op}: expected at least one Tensor operand, got ${typeof a} and ${typeof b}`);
  }
  const like = (a instanceof Tensor ? a : b) as Tensor;
  like.assertLive(op);
  if (a instanceof Tensor) a.assertLive(op);
  if (b instanceof Tensor) b.assertLive(op);
  const da = a instanceof Tensor ? a.dtype : scalarDType(a, op);
  const db = b instanceof Tensor ? b.dtype : scalarDType(b, op);
  const sa = !(a instanceof Tensor) || a.ndim === 0;
  const sb = !(b instanceof Tensor) || b.ndim === 0;
  let dtype = resultType(da, sa, db, sb);
  if (floatResult && !isFloat(dtype)) dtype = 'float32';
  const ta = a instanceof Tensor ? cast(a, dtype) : scalarLike(a, dtype, like);
  const tb = b instanceof Tensor ? cast(b, dtype) : scalarLike(b, dtype, like);
  return [ta, tb];
}

function scalarDType(v: unknown, op: string): DType {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v !== 'number') throw new TypeError(`${op}: expected a Tensor or a number, got ${typeof v}`);
  return Number.isInteger(v) ? 'int32' : 'float32';
}

/** Throws unless `x` has a floating-point dtype. */
export function assertFloat(x: Tensor, op: string): void {
  if (!isFloat(x.dtype)) {
    throw new DTypeError(`${op}: expected a floating point tensor, got ${x.dtype} (convert with .float())`);
  }
}
