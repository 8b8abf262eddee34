import { type KernelConfig } from '@backstep/tensor';
import { assertDTypeIn, defineKernel, expectInputs, gpuBackend } from './define.js';
import { f32Bits, grid, shader } from './wgsl.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const toInt = (v: number): number => (Number.isNaN(v) ? 0 : Math.min(Math.max(Math.trunc(v), INT_MIN), INT_MAX));

const FLOAT_BODY = `
  var y = a[i];
  if (!is_nan(y)) {
    let lo = bitcast<f32>(prm[2]);
    let hi = bitcast<f32>(prm[3]);
    if ((prm[1] & 1) != 0 && (y < lo || is_nan(lo))) { y = lo; }
    if ((prm[1] & 2) != 0 && (y > hi || is_nan(hi))) { y = hi; }
  }
  out[i] = y;`;

// int32: v < ceil(lo) gives trunc(min(lo, hi)); v > floor(hi) gives trunc(hi); else v (as in double precision).
const INT_BODY = `
  let v = a[i];
  var y = v;
  if ((prm[1] & 1) != 0 && v < prm[2]) { y = prm[4]; }
  else if ((prm[1] & 2) != 0 && v > prm[3]) { y = prm[5]; }
  out[i] = y;`;

/**
 * `clamp(x, min, max)` = min(max(x, min), max) as torch.clamp: NaN stays NaN, a null bound is
 * unbounded, and when min > max every element becomes max. Output has x's dtype.
 */
export const clampKernel: KernelConfig = defineKernel('clamp', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'clamp');
  const [x] = expectInputs('clamp', inputs, 1);
  assertDTypeIn('clamp', x.dtype, ['float32', 'int32']);
  const { min, max } = attrs;
  const flags = (min !== null ? 1 : 0) | (max !== null ? 2 : 0);
  const out = gpu.makeOutput(x.shape, x.dtype);
  const n = out.data.length;
  const isF = x.dtype === 'float32';
  let meta: number[];
  if (isF) meta = [n, flags, f32Bits(min ?? 0), f32Bits(max ?? 0)];
  else {
    const lo = min ?? -Infinity;
    const hi = max ?? Infinity;
    meta = [n, flags, toInt(Math.ceil(lo)), toInt(Math.floor(hi)), toInt(Math.min(lo, hi)), toInt(hi)];
  }
  const t = isF ? 'f32' : 'i32';
  gpu.dispatch({
    key: `clamp:${t}`,
    source: () => shader({ inputs: [['a', t]], outputs: [['out', t]], body: isF ? FLOAT_BODY : INT_BODY }),
    inputs: [gpu.get(x.dataId)],
    outputs: [out.data],
    meta,
    workgroups: grid(n),
  });
  return out.info;
});
