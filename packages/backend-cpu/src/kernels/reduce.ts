import {
  fmtShape,
  REDUCE_KERNELS,
  type DataArray,
  type DType,
  type KernelConfig,
  type ReduceKernel,
} from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';
import { planReduction, type ReducePlan } from './reduce-plan.js';
import { wasmReduceF32 } from '../wasm/elementwise.js';

/** Sums with Neumaier compensation in double precision (float inputs). */
function sumFloat(x: DataArray, plan: ReducePlan, out: DataArray): void {
  const { bases, reduced } = plan;
  for (let o = 0; o < bases.length; o++) {
    const base = bases[o] as number;
    let s = 0;
    let c = 0;
    for (let r = 0; r < reduced.length; r++) {
      const v = x[base + (reduced[r] as number)] as number;
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
      s = t;
    }
    // Infinite or NaN partial sums make the compensation NaN; the plain sum is the answer then.
    out[o] = Number.isFinite(s) ? s + c : s;
  }
}

/** Wrapping int32 sum (bool counts as 0/1). */
function sumInt(x: DataArray, plan: ReducePlan, out: DataArray): void {
  const { bases, reduced } = plan;
  for (let o = 0; o < bases.length; o++) {
    const base = bases[o] as number;
    let s = 0;
    for (let r = 0; r < reduced.length; r++) s = (s + (x[base + (reduced[r] as number)] as number)) | 0;
    out[o] = s;
  }
}

/** Product in double (floats) or wrapping int32 (int32, bool). */
function prod(x: DataArray, plan: ReducePlan, out: DataArray, integer: boolean): void {
  const { bases, reduced } = plan;
  for (let o = 0; o < bases.length; o++) {
    const base = bases[o] as number;
    let p = 1;
    if (integer) for (let r = 0; r < reduced.length; r++) p = Math.imul(p, x[base + (reduced[r] as number)] as number);
    else for (let r = 0; r < reduced.length; r++) p *= x[base + (reduced[r] as number)] as number;
    out[o] = p;
  }
}

/** Max or min of each output element's reduced elements (at least one); NaN propagates. */
function extremum(x: DataArray, plan: ReducePlan, out: DataArray, isMax: boolean): void {
  const { bases, reduced } = plan;
  for (let o = 0; o < bases.length; o++) {
    const base = bases[o] as number;
    let m = x[base + (reduced[0] as number)] as number;
    for (let r = 1; r < reduced.length && m === m; r++) {
      const v = x[base + (reduced[r] as number)] as number;
      if (v !== v || (isMax ? v > m : v < m)) m = v;
    }
    out[o] = m;
  }
}

/** The output dtype of a reduction: sum/prod of bool/int32 give int32; others keep the dtype. */
export function reduceOutDType(name: ReduceKernel, dtype: DType): DType {
  if ((name === 'sum' || name === 'prod') && (dtype === 'bool' || dtype === 'int32')) return 'int32';
  return dtype;
}

/**
 * A CPU kernel for one reduction over `axes` (empty axes: no reduction). sum of an empty set is 0,
 * prod 1; max/min over a size-0 dim throw. float32 sum/max/min over one contiguous block of axes
 * run through WASM SIMD loops where available (sums accumulate in float64).
 */
export function makeReduceKernel(name: ReduceKernel): KernelConfig {
  return defineKernel(name, ({ inputs, attrs, backend }) => {
    const cpu = cpuBackend(backend, name);
    const x = inputs[0];
    if (x === undefined) throw new TypeError(`${name}: expected one input`);
    const plan = planReduction(name, x.shape, attrs.axes, attrs.keepdim);
    const outDType = reduceOutDType(name, x.dtype);
    const xv = cpu.dataOf(x);
    if (x.dtype === 'float32' && name !== 'prod' && !plan.emptyReduction && attrs.axes.length > 0) {
      const out32 = cpu.alloc('float32', plan.bases.length) as Float32Array;
      if (wasmReduceF32(name, xv as Float32Array, x.shape, attrs.axes, out32)) return cpu.makeOutput(out32, plan.outShape, outDType);
    }
    const out = cpu.alloc(outDType, plan.bases.length);
    const integer = x.dtype === 'int32' || x.dtype === 'bool';
    switch (name) {
      case 'sum':
        if (integer) sumInt(xv, plan, out);
        else sumFloat(xv, plan, out);
        break;
      case 'prod':
        prod(xv, plan, out, integer);
        break;
      case 'max':
      case 'min':
        if (plan.emptyReduction) {
          throw new RangeError(
            `${name}(): cannot reduce over a dimension of size 0 (input shape ${fmtShape(x.shape)}, ` +
              `axes ${JSON.stringify(attrs.axes)}): the operation has no identity`,
          );
        }
        extremum(xv, plan, out, name === 'max');
        break;
    }
    return cpu.makeOutput(out, plan.outShape, outDType);
  });
}

/** sum, prod, max, min. */
export const REDUCE_CPU_KERNELS: readonly KernelConfig[] = REDUCE_KERNELS.map(makeReduceKernel);
