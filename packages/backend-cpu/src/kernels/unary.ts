import { UNARY_KERNELS, type DType, type KernelConfig, type UnaryKernel } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { erf, erfc } from './erf.js';
import { assertDTypeIn, cpuBackend } from './kernel-utils.js';
import { wasmUnaryF32 } from '../wasm/elementwise.js';

/** How one elementwise unary kernel computes and which dtypes it takes. */
interface UnarySpec {
  /** The scalar function, evaluated in double precision (results are stored into the output dtype). */
  readonly fn: (x: number) => number;
  /** Input dtypes accepted. */
  readonly dtypes: readonly DType[];
  /** Output dtype when it is not the input's. */
  readonly out?: DType;
}

const FLOAT: readonly DType[] = ['float32', 'float64'];
const NUMERIC: readonly DType[] = ['float32', 'float64', 'int32'];
const ALL: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Rounds half to even (banker's rounding), as torch.round; keeps the sign of zero results. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  let r: number;
  if (d < 0.5) r = f;
  else if (d > 0.5) r = f + 1;
  else r = f % 2 === 0 ? f : f + 1;
  return r === 0 ? x * 0 : r;
}

/** sign as torch: -1, 0 or 1; sign(NaN) is 0 (PyTorch computes `(0 < x) - (x < 0)`). */
function sign(x: number): number {
  return (x > 0 ? 1 : 0) - (x < 0 ? 1 : 0);
}

/** The scalar definitions of every unary kernel. */
export const UNARY_SPECS: Readonly<Record<UnaryKernel, UnarySpec>> = {
  neg: { fn: (x) => -x, dtypes: NUMERIC },
  exp: { fn: Math.exp, dtypes: FLOAT },
  log: { fn: Math.log, dtypes: FLOAT },
  sqrt: { fn: Math.sqrt, dtypes: FLOAT },
  rsqrt: { fn: (x) => 1 / Math.sqrt(x), dtypes: FLOAT },
  abs: { fn: Math.abs, dtypes: ALL },
  sign: { fn: sign, dtypes: ALL },
  sin: { fn: Math.sin, dtypes: FLOAT },
  cos: { fn: Math.cos, dtypes: FLOAT },
  tanh: { fn: Math.tanh, dtypes: FLOAT },
  sigmoid: { fn: (x) => 1 / (1 + Math.exp(-x)), dtypes: FLOAT },
  relu: { fn: (x) => (x > 0 ? x : x !== x ? x : 0), dtypes: NUMERIC },
  gelu: { fn: (x) => 0.5 * x * erfc(-x * SQRT_HALF), dtypes: FLOAT },
  gelutanh: { fn: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))), dtypes: FLOAT },
  erf: { fn: erf, dtypes: FLOAT },
  floor: { fn: Math.floor, dtypes: NUMERIC },
  ceil: { fn: Math.ceil, dtypes: NUMERIC },
  round: { fn: roundHalfEven, dtypes: NUMERIC },
  log1p: { fn: Math.log1p, dtypes: FLOAT },
  expm1: { fn: Math.expm1, dtypes: FLOAT },
  reciprocal: { fn: (x) => 1 / x, dtypes: FLOAT },
  logicalNot: { fn: (x) => (x === 0 ? 1 : 0), dtypes: ALL, out: 'bool' },
  isnan: { fn: (x) => (x !== x ? 1 : 0), dtypes: ALL, out: 'bool' },
  isinf: { fn: (x) => (x === Infinity || x === -Infinity ? 1 : 0), dtypes: ALL, out: 'bool' },
};

/**
 * A CPU kernel for one unary op: applies its scalar function to every element. float32 exp, log,
 * tanh, sigmoid, relu, sqrt, neg and abs run through WASM SIMD loops where available
 * (`wasm/elementwise.ts`; exp/log/tanh/sigmoid within ~2 float32 ulp, the others exact).
 */
export function makeUnaryKernel(name: UnaryKernel): KernelConfig {
  const spec = UNARY_SPECS[name];
  return defineKernel(name, ({ inputs, backend }) => {
    const cpu = cpuBackend(backend, name);
    const x = inputs[0];
    if (x === undefined) throw new TypeError(`${name}: expected one input`);
    assertDTypeIn(name, x.dtype, spec.dtypes, spec.dtypes === FLOAT ? 'cast integer tensors to float first' : '');
    const src = cpu.dataOf(x);
    const outDType = spec.out ?? x.dtype;
    if (outDType === 'float32' && x.dtype === 'float32') {
      const out32 = cpu.alloc('float32', src.length) as Float32Array;
      if (wasmUnaryF32(name, src as Float32Array, out32)) return cpu.makeOutput(out32, x.shape, outDType);
    }
    const out = cpu.alloc(outDType, src.length);
    const fn = spec.fn;
    if (outDType === 'bool' && spec.out === undefined) {
      for (let i = 0; i < src.length; i++) out[i] = fn(src[i] as number) !== 0 ? 1 : 0;
    } else {
      for (let i = 0; i < src.length; i++) out[i] = fn(src[i] as number);
    }
    return cpu.makeOutput(out, x.shape, outDType);
  });
}

/** Every unary kernel. */
export const UNARY_CPU_KERNELS: readonly KernelConfig[] = UNARY_KERNELS.map(makeUnaryKernel);
