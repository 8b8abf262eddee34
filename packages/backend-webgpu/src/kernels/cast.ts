import { assertDType, type DType, type KernelConfig } from '@backstep/tensor';
import { assertWebGpuDType } from '../host-data.js';
import { defineKernel, expectInputs, gpuBackend } from './define.js';
import { grid, shader, wgslType } from './wgsl.js';

/** float → int32 as JavaScript's ToInt32 (the CPU backend's Int32Array store): truncate, wrap mod 2^32, NaN/±inf → 0. */
const F2I = `
fn f2i(x: f32) -> i32 {
  if (is_nan(x) || is_inf(x)) { return 0; }
  let t = trunc(x);
  if (abs(t) < 2147483648.0) { return i32(t); }
  let bits = bitcast<u32>(t);
  let e = i32((bits >> 23u) & 0xffu) - 150;
  let m = (bits & 0x7fffffu) | 0x800000u;
  var low = 0u;
  if (e < 32) { low = m << u32(e); }
  return select(bitcast<i32>(low), -bitcast<i32>(low), x < 0.0);
}`;

/** int32 → float32 rounded to nearest even: the two 16-bit halves convert exactly, their sum rounds once. */
const I2F = `
fn i2f(x: i32) -> f32 {
  return f32(x & bitcast<i32>(0xffff0000u)) + f32(x & 0xffff);
}`;

function castExpr(from: DType, to: DType): { expr: string; helpers: string[] } {
  if (to === 'bool') return { expr: from === 'float32' ? 'select(0, 1, x != 0.0 || is_nan(x))' : 'select(0, 1, x != 0)', helpers: [] };
  if (to === 'int32') return from === 'float32' ? { expr: 'f2i(x)', helpers: [F2I] } : { expr: 'x', helpers: [] };
  return from === 'float32' ? { expr: 'x', helpers: [] } : { expr: 'i2f(x)', helpers: [I2F] };
}

/**
 * `cast(x, dtype)`: a new buffer of `dtype`. bool → number gives 0/1, number → bool is `x != 0`
 * (NaN is true), float → int32 truncates toward zero (NaN becomes 0), int32 → float32 rounds to
 * nearest. A cast to the same dtype (or bool → int32, same words) is a buffer copy.
 */
export const castKernel: KernelConfig = defineKernel('cast', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'cast');
  const [x] = expectInputs('cast', inputs, 1);
  const to = attrs.dtype;
  assertDType(to, 'cast');
  assertWebGpuDType(to, 'cast');
  const out = gpu.makeOutput(x.shape, to);
  const src = gpu.get(x.dataId);
  if (to === x.dtype || (x.dtype === 'bool' && to === 'int32')) {
    gpu.copy(src, out.data);
    return out.info;
  }
  const { expr, helpers } = castExpr(x.dtype, to);
  const n = out.data.length;
  gpu.dispatch({
    key: `cast:${x.dtype}:${to}`,
    source: () => shader({ inputs: [['a', wgslType(x.dtype)]], outputs: [['out', wgslType(to)]], helpers, body: `  let x = a[i];\n  out[i] = ${expr};` }),
    inputs: [src],
    outputs: [out.data],
    meta: [n],
    workgroups: grid(n),
  });
  return out.info;
});
