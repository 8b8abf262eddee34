import { UNARY_KERNELS, type DType, type KernelConfig, type UnaryKernel } from '@backstep/tensor';
import { assertDTypeIn, defineKernel, expectInputs, gpuBackend } from './define.js';
import { mathHelpers } from './wgsl-math.js';
import { grid, shader, wgslType } from './wgsl.js';

/** How one elementwise unary kernel is written in WGSL. */
interface UnarySpec {
  /** Expression over `x: f32` for float32. */
  f?: string;
  /** Expression over `x: i32` for int32 (and bool, stored as 0/1, unless `b` is given). */
  i?: string;
  /** Expression over `x: i32` (0/1) for bool. */
  b?: string;
  /** The result is a predicate (`bool` expression) and the output dtype is bool. */
  pred?: boolean;
  /** Math helpers the float expression uses (see wgsl-math.ts). */
  helpers?: string[];
  /** Numbers only: bool inputs are rejected (as PyTorch's neg, relu, floor, ...). */
  numeric?: boolean;
}

const SQRT_HALF = '0.70710678';
const SQRT_2_OVER_PI = '0.79788456';

/** The WGSL of every unary kernel. Float-only kernels have no `i`; int32/bool inputs are rejected. */
export const UNARY_SPECS: Readonly<Record<UnaryKernel, UnarySpec>> = {
  neg: { f: '-x', i: '-x', numeric: true },
  exp: { f: 'm_exp(x)', helpers: ['exp'] },
  log: { f: 'm_log(x)', helpers: ['log'] },
  sqrt: { f: 'select(sqrt(x), f_nan(), x < 0.0)' },
  rsqrt: { f: 'select(1.0 / sqrt(x), f_nan(), x < 0.0)' },
  abs: { f: 'abs(x)', i: 'abs(x)', b: 'x' },
  sign: { f: 'f32(x > 0.0) - f32(x < 0.0)', i: 'i32(x > 0) - i32(x < 0)', b: 'x' },
  sin: { f: 'm_sin(x)', helpers: ['sincos'] },
  cos: { f: 'm_cos(x)', helpers: ['sincos'] },
  tanh: { f: 'm_tanh(x)', helpers: ['tanh'] },
  sigmoid: { f: 'm_sigmoid(x)', helpers: ['sigmoid'] },
  relu: { f: 'select(x, 0.0, x <= 0.0)', i: 'max(x, 0)', numeric: true },
  gelu: { f: `0.5 * x * m_erfc(-x * ${SQRT_HALF})`, helpers: ['erf'] },
  gelutanh: { f: `0.5 * x * (1.0 + m_tanh(${SQRT_2_OVER_PI} * (x + 0.044715 * x * x * x)))`, helpers: ['tanh'] },
  erf: { f: 'm_erf(x)', helpers: ['erf'] },
  floor: { f: 'floor(x)', i: 'x', numeric: true },
  ceil: { f: 'ceil(x)', i: 'x', numeric: true },
  round: { f: 'round(x)', i: 'x', numeric: true },
  log1p: { f: 'm_log1p(x)', helpers: ['log1p'] },
  expm1: { f: 'm_expm1(x)', helpers: ['expm1'] },
  reciprocal: { f: '1.0 / x' },
  logicalNot: { f: 'x == 0.0', i: 'x == 0', pred: true },
  isnan: { f: 'is_nan(x)', i: 'false', pred: true },
  isinf: { f: 'is_inf(x)', i: 'false', pred: true },
};

function expressionFor(name: UnaryKernel, dtype: DType): string | undefined {
  const s = UNARY_SPECS[name];
  if (dtype === 'float32') return s.f;
  if (dtype === 'bool') return s.numeric ? undefined : (s.b ?? s.i);
  return s.i;
}

/** The dtypes a unary kernel accepts on this backend. */
export function unaryDTypes(name: UnaryKernel): DType[] {
  return (['float32', 'int32', 'bool'] as const).filter((d) => expressionFor(name, d) !== undefined);
}

/** A WebGPU kernel for one unary op: one thread per element. */
export function makeUnaryKernel(name: UnaryKernel): KernelConfig {
  const spec = UNARY_SPECS[name];
  const dtypes = unaryDTypes(name);
  return defineKernel(name, ({ inputs, backend }) => {
    const gpu = gpuBackend(backend, name);
    const [x] = expectInputs(name, inputs, 1);
    assertDTypeIn(name, x.dtype, dtypes, spec.i === undefined ? 'cast integer tensors to float first' : '');
    const outDType: DType = spec.pred ? 'bool' : x.dtype;
    const out = gpu.makeOutput(x.shape, outDType);
    const expr = expressionFor(name, x.dtype) as string;
    const t = wgslType(x.dtype);
    const n = out.data.length;
    gpu.dispatch({
      key: `unary:${name}:${x.dtype}`,
      source: () =>
        shader({
          inputs: [['a', t]],
          outputs: [['out', wgslType(outDType)]],
          helpers: x.dtype === 'float32' ? mathHelpers(spec.helpers ?? []) : [],
          body: `  let x = a[i];\n  out[i] = ${spec.pred ? `select(0, 1, ${expr})` : expr};`,
        }),
      inputs: [gpu.get(x.dataId)],
      outputs: [out.data],
      meta: [n],
      workgroups: grid(n),
    });
    return out.info;
  });
}

/** Every unary kernel. */
export const UNARY_WEBGPU_KERNELS: readonly KernelConfig[] = UNARY_KERNELS.map(makeUnaryKernel);
