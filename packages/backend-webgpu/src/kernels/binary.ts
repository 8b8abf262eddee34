import { BINARY_KERNELS, DTypeError, type BinaryKernel, type DType, type KernelConfig } from '@backstep/tensor';
import { broadcastMap } from './broadcast.js';
import { assertSameDType, defineKernel, expectInputs, gpuBackend } from './define.js';
import { mathHelpers } from './wgsl-math.js';
import { wgslType } from './wgsl.js';

/** Truncating integer division that flags division by zero. */
const I_DIV = `
fn i_div(a: i32, b: i32) -> i32 {
  if (b == 0) { fail(a); return 0; }
  return a / b;
}`;

/** Exact wrapping integer powers (negative exponents as PyTorch). */
const I_POW = `
fn i_pow(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(-1, 1, (b & 1) == 0); }
    return 0;
  }
  var r = 1;
  var base = a;
  var e = u32(b);
  loop {
    if ((e & 1u) == 1u) { r = r * base; }
    e = e >> 1u;
    if (e == 0u) { break; }
    base = base * base;
  }
  return r;
}`;

const NAN_MAX = 'select(select(x1, x0, x0 > x1), f_nan(), is_nan(x0) || is_nan(x1))';
const NAN_MIN = 'select(select(x1, x0, x0 < x1), f_nan(), is_nan(x0) || is_nan(x1))';

/** WGSL expressions over `x0`, `x1` per dtype; a missing entry means the dtype is rejected. */
const EXPRS: Readonly<Record<BinaryKernel, Partial<Record<DType, string>>>> = {
  add: { float32: 'x0 + x1', int32: 'x0 + x1', bool: 'x0 | x1' },
  sub: { float32: 'x0 - x1', int32: 'x0 - x1' },
  mul: { float32: 'x0 * x1', int32: 'x0 * x1', bool: 'x0 & x1' },
  div: { float32: 'x0 / x1', int32: 'i_div(x0, x1)' },
  pow: { float32: 'm_pow(x0, x1)', int32: 'i_pow(x0, x1)' },
  maximum: { float32: NAN_MAX, int32: 'max(x0, x1)', bool: 'x0 | x1' },
  minimum: { float32: NAN_MIN, int32: 'min(x0, x1)', bool: 'x0 & x1' },
  atan2: { float32: 'm_atan2(x0, x1)' },
};

/**
 * A WebGPU kernel for one broadcasting arithmetic op (output dtype = input dtype). int32 arithmetic
 * wraps; int32 `div` truncates and reports division by zero as a RangeError at the next read.
 */
export function makeBinaryKernel(name: BinaryKernel): KernelConfig {
  return defineKernel(name, ({ inputs, backend }) => {
    const gpu = gpuBackend(backend, name);
    const [a, b] = expectInputs(name, inputs, 2);
    assertSameDType(name, [a.dtype, b.dtype]);
    const expr = EXPRS[name][a.dtype];
    if (expr === undefined) throw new DTypeError(`${name}: not supported for dtype ${a.dtype} on the webgpu backend (cast to float first)`);
    const t = wgslType(a.dtype);
    const isInt = a.dtype === 'int32';
    const needsError = isInt && name === 'div';
    return broadcastMap(gpu, {
      op: name,
      key: `binary:${name}:${a.dtype}`,
      inputs: [a, b],
      types: [t, t],
      out: { dtype: a.dtype, type: t },
      expr,
      helpers: isInt ? (name === 'div' ? [I_DIV] : name === 'pow' ? [I_POW] : []) : mathHelpers(name === 'pow' ? ['pow'] : name === 'atan2' ? ['atan2'] : []),
      ...(needsError ? { error: (g) => g.errorSlot((v) => new RangeError(`div: integer division by zero (dividend ${v})`)) } : {}),
    });
  });
}

/** Every arithmetic binary kernel. */
export const BINARY_WEBGPU_KERNELS: readonly KernelConfig[] = BINARY_KERNELS.map(makeBinaryKernel);
