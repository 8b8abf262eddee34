import {
  allocArray,
  BINARY_KERNELS,
  broadcastShapes,
  sizeOf,
  DTypeError,
  type BinaryKernel,
  type DataArray,
  type DType,
  type KernelConfig,
  type TensorInfo,
} from '@backstep/tensor';
import { broadcastOffsets } from './broadcast-index.js';
import { fastFloatBinary, hasFastLoop } from './binary-fast.js';
import { defineKernel } from './define.js';
import { assertSameDType, cpuBackend } from './kernel-utils.js';
import type { CpuBackend } from '../cpu-backend.js';
import { wasmBinaryF32 } from '../wasm/elementwise.js';

/** A scalar binary function evaluated in double precision; the result is stored into the output dtype. */
export type BinaryFn = (a: number, b: number) => number;

/** pow with C/PyTorch semantics: 1^y = 1 and x^0 = 1 even for NaN, (-1)^±∞ = 1; otherwise Math.pow. */
export function floatPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/**
 * Integer power with wrapping int32 arithmetic (exact, by repeated squaring). Negative exponents
 * follow PyTorch: 1 for base 1, ±1 for base -1, otherwise 0.
 */
export function intPow(a: number, b: number): number {
  if (b < 0) {
    if (a === 1) return 1;
    if (a === -1) return b % 2 === 0 ? 1 : -1;
    return 0;
  }
  let r = 1;
  let base = a | 0;
  let e = b;
  while (e > 0) {
    if (e & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    e = Math.floor(e / 2);
  }
  return r;
}

/** Truncating int32 division; division by zero throws (as PyTorch's integer division does). */
function intDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('div: integer division by zero');
  return Math.trunc(a / b) | 0;
}

const FLOAT_FNS: Readonly<Record<BinaryKernel, BinaryFn>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: floatPow,
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  atan2: Math.atan2,
};

const INT_FNS: Partial<Record<BinaryKernel, BinaryFn>> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: Math.imul,
  div: intDiv,
  pow: intPow,
  maximum: Math.max,
  minimum: Math.min,
};

/** On bool, add/maximum are logical or and mul/minimum logical and (as PyTorch). */
const BOOL_FNS: Partial<Record<BinaryKernel, BinaryFn>> = {
  add: (a, b) => a | b,
  mul: (a, b) => a & b,
  maximum: (a, b) => a | b,
  minimum: (a, b) => a & b,
};

/** The scalar function of `name` for `dtype`, or a clear DTypeError. */
function scalarFn(name: BinaryKernel, dtype: DType): BinaryFn {
  const fn = dtype === 'bool' ? BOOL_FNS[name] : dtype === 'int32' ? INT_FNS[name] : FLOAT_FNS[name];
  if (fn === undefined) {
    throw new DTypeError(`${name}: not supported for dtype ${dtype} on the cpu backend (cast to float first)`);
  }
  return fn;
}

/**
 * Applies `fn` elementwise over `a` and `b` broadcast together, writing into a new array of `outDType`.
 * Shared by the arithmetic and comparison kernels. float32 add/sub/mul/div/maximum/minimum run
 * through WASM SIMD loops where available (`wasm/elementwise.ts`; same results: these are
 * correctly rounded in float32 either way).
 */
export function broadcastBinary(
  cpu: CpuBackend,
  op: string,
  a: TensorInfo,
  b: TensorInfo,
  outDType: DType,
  fn: BinaryFn,
): TensorInfo {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const av = cpu.dataOf(a);
  const bv = cpu.dataOf(b);
  const total = sizeOf(shape);
  if (outDType === 'float32' && a.dtype === 'float32' && b.dtype === 'float32' && total > 0) {
    const out32 = cpu.alloc('float32', total) as Float32Array;
    if (wasmBinaryF32(op, av as Float32Array, a.shape, bv as Float32Array, b.shape, shape, out32)) return cpu.makeOutput(out32, shape, outDType);
  }
  if ((outDType === 'float32' || outDType === 'float64') && a.dtype === outDType && hasFastLoop(op, av.length, bv.length, total)) {
    const fast = cpu.alloc(outDType, total);
    fastFloatBinary(op, av, bv, fast);
    return cpu.makeOutput(fast, shape, outDType);
  }
  if ((av.length === total || av.length === 1) && (bv.length === total || bv.length === 1) && total > 1) {
    // same shape or a scalar operand: no offset arrays
    const out: DataArray = outDType === 'float32' || outDType === 'float64' ? cpu.alloc(outDType, total) : allocArray(outDType, total);
    if (av.length === 1 && bv.length === 1) out.fill(fn(av[0] as number, bv[0] as number));
    else if (bv.length === 1) { const s = bv[0] as number; for (let i = 0; i < total; i++) out[i] = fn(av[i] as number, s); }
    else if (av.length === 1) { const s = av[0] as number; for (let i = 0; i < total; i++) out[i] = fn(s, bv[i] as number); }
    else for (let i = 0; i < total; i++) out[i] = fn(av[i] as number, bv[i] as number);
    return cpu.makeOutput(out, shape, outDType);
  }
  const ai = broadcastOffsets(a.shape, shape, op);
  const bi = broadcastOffsets(b.shape, shape, op);
  const n = ai?.length ?? bi?.length ?? av.length;
  const out: DataArray = cpu.alloc(outDType, n);
  if (ai === null && bi === null) {
    for (let i = 0; i < n; i++) out[i] = fn(av[i] as number, bv[i] as number);
  } else if (ai === null && bi !== null) {
    for (let i = 0; i < n; i++) out[i] = fn(av[i] as number, bv[bi[i] as number] as number);
  } else if (ai !== null && bi === null) {
    for (let i = 0; i < n; i++) out[i] = fn(av[ai[i] as number] as number, bv[i] as number);
  } else if (ai !== null && bi !== null) {
    for (let i = 0; i < n; i++) out[i] = fn(av[ai[i] as number] as number, bv[bi[i] as number] as number);
  }
  return cpu.makeOutput(out, shape, outDType);
}

/** A CPU kernel for one broadcasting arithmetic op. Output dtype is the inputs' dtype. */
export function makeBinaryKernel(name: BinaryKernel): KernelConfig {
  return defineKernel(name, ({ inputs, backend }) => {
    const cpu = cpuBackend(backend, name);
    const [a, b] = inputs;
    if (a === undefined || b === undefined) throw new TypeError(`${name}: expected two inputs`);
    assertSameDType(name, [a.dtype, b.dtype]);
    return broadcastBinary(cpu, name, a, b, a.dtype, scalarFn(name, a.dtype));
  });
}

/** Every arithmetic binary kernel. */
export const BINARY_CPU_KERNELS: readonly KernelConfig[] = BINARY_KERNELS.map(makeBinaryKernel);
