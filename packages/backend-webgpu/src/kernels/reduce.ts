import { fmtShape, REDUCE_KERNELS, type DType, type KernelConfig, type ReduceKernel } from '@backstep/tensor';
import { defineKernel, expectInputs, gpuBackend } from './define.js';
import { planReduction } from './reduce-plan.js';
import { shader, stridedFn, wgslType } from './wgsl.js';

/** Identity and combine function (`comb(acc, v)`) of each reduction, for f32 and i32 accumulators. */
const OPS: Readonly<Record<ReduceKernel, { f: [string, string]; i: [string, string] }>> = {
  sum: { f: ['0.0', 'a + b'], i: ['0', 'a + b'] },
  prod: { f: ['1.0', 'a * b'], i: ['1', 'a * b'] },
  max: { f: ['-f_inf()', 'select(select(a, b, b > a), b, is_nan(b))'], i: ['-2147483647 - 1', 'max(a, b)'] },
  min: { f: ['f_inf()', 'select(select(a, b, b < a), b, is_nan(b))'], i: ['2147483647', 'min(a, b)'] },
};

/** Output dtype of a reduction: sum/prod of int32 and bool give int32; max/min keep the dtype. */
export function reduceOutDType(name: ReduceKernel, dtype: DType): DType {
  return (name === 'sum' || name === 'prod') && dtype === 'bool' ? 'int32' : dtype;
}

/** Threads per workgroup of the cooperative variant (one workgroup per output element). */
const RWG = 64;

/**
 * Parameters: `[outSize, reduceSize, keptRank, redRank, keptShape, keptStrides, redShape, redStrides]`.
 * Short reductions run one thread per output element; long ones one workgroup per output element,
 * each thread folding a strided share before a tree reduction in workgroup memory.
 */
function reduceShader(t: 'f32' | 'i32', init: string, comb: string, cooperative: boolean): string {
  const head = `
fn comb(a: ${t}, b: ${t}) -> ${t} { return ${comb}; }
${OFFSETS}`;
  if (!cooperative) {
    return shader({
      inputs: [['x', t]],
      outputs: [['out', t]],
      helpers: [stridedFn('off1', 1), head],
      body: `  let base = kept_off(i);\n  var acc: ${t} = ${init};\n  for (var r = 0u; r < u32(prm[1]); r++) { acc = comb(acc, x[u32(base + red_off(r))]); }\n  out[i] = acc;`,
    });
  }
  return shader({
    inputs: [['x', t]],
    outputs: [['out', t]],
    helpers: [stridedFn('off1', 1), head, `var<workgroup> part: array<${t}, ${RWG}>;`],
    main: `
@compute @workgroup_size(${RWG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < u32(prm[0]);
  var acc: ${t} = ${init};
  if (live) {
    let base = kept_off(o);
    for (var r = lid; r < u32(prm[1]); r += ${RWG}u) { acc = comb(acc, x[u32(base + red_off(r))]); }
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var s = ${RWG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = comb(part[lid], part[lid + s]); }
    workgroupBarrier();
  }
  if (live && lid == 0u) { out[o] = part[0]; }
}`,
  });
}

const OFFSETS = `
fn kept_off(o: u32) -> i32 { return off1(o, prm[2], 4, 4 + prm[2]); }
fn red_off(r: u32) -> i32 { return off1(r, prm[3], 4 + 2 * prm[2], 4 + 2 * prm[2] + prm[3]); }`;

/**
 * Compensated float32 sums: the running sum is an unevaluated pair `hi + lo` (TwoSum keeps each
 * addition's rounding error in `lo`; pairs combine the same way in the tree), rounded once at the
 * end: as accurate as accumulating in double precision and rounding, which is what the CPU backend
 * does, so float32 sums (and means, dot products, losses) agree with the CPU's. An infinite partial
 * sum carries no error term (it would be NaN).
 */
const DF_ADD = `
fn df_add(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = a.x + b.x;
  let bb = s - a.x;
  let e = select((a.x - (s - bb)) + (b.x - bb), 0.0, is_inf(s));
  return vec2<f32>(s, (a.y + b.y) + e);
}
${OFFSETS}`;

function compensatedSumShader(cooperative: boolean): string {
  if (!cooperative) {
    return shader({
      inputs: [['x', 'f32']],
      outputs: [['out', 'f32']],
      helpers: [stridedFn('off1', 1), DF_ADD],
      body:
        '  let base = kept_off(i);\n  var acc = vec2<f32>(0.0, 0.0);\n' +
        '  for (var r = 0u; r < u32(prm[1]); r++) { acc = df_add(acc, vec2<f32>(x[u32(base + red_off(r))], 0.0)); }\n' +
        '  out[i] = acc.x + acc.y;',
    });
  }
  return shader({
    inputs: [['x', 'f32']],
    outputs: [['out', 'f32']],
    helpers: [stridedFn('off1', 1), DF_ADD, `var<workgroup> part: array<vec2<f32>, ${RWG}>;`],
    main: `
@compute @workgroup_size(${RWG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = wid.x + wid.y * nwg.x;
  let live = o < u32(prm[0]);
  var acc = vec2<f32>(0.0, 0.0);
  if (live) {
    let base = kept_off(o);
    for (var r = lid; r < u32(prm[1]); r += ${RWG}u) { acc = df_add(acc, vec2<f32>(x[u32(base + red_off(r))], 0.0)); }
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var s = ${RWG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = df_add(part[lid], part[lid + s]); }
    workgroupBarrier();
  }
  if (live && lid == 0u) { out[o] = part[0].x + part[0].y; }
}`,
  });
}

/**
 * A WebGPU kernel for one reduction over `axes` (empty axes: no reduction). sum of an empty set is 0,
 * prod 1; max/min over a size-0 dim throw. NaN propagates through max/min. float32 sums are
 * compensated (see {@link DF_ADD}).
 */
export function makeReduceKernel(name: ReduceKernel): KernelConfig {
  return defineKernel(name, ({ inputs, attrs, backend }) => {
    const gpu = gpuBackend(backend, name);
    const [x] = expectInputs(name, inputs, 1);
    const plan = planReduction(name, x.shape, attrs.axes, attrs.keepdim);
    if ((name === 'max' || name === 'min') && plan.reduceSize === 0 && plan.outSize > 0) {
      throw new RangeError(
        `${name}(): cannot reduce over a dimension of size 0 (input shape ${fmtShape(x.shape)}, axes ${JSON.stringify(attrs.axes)}): the operation has no identity`,
      );
    }
    const outDType = reduceOutDType(name, x.dtype);
    const out = gpu.makeOutput(plan.outShape, outDType);
    const t = wgslType(x.dtype);
    const [init, comb] = t === 'f32' ? OPS[name].f : OPS[name].i;
    const cooperative = plan.reduceSize > 64;
    const { kept, reduced } = plan;
    const meta = [plan.outSize, plan.reduceSize, kept.shape.length, reduced.shape.length, ...kept.shape, ...kept.strides, ...reduced.shape, ...reduced.strides];
    const groups = cooperative ? plan.outSize : Math.ceil(plan.outSize / 64);
    const gx = Math.min(groups, 65535);
    const compensated = name === 'sum' && t === 'f32';
    gpu.dispatch({
      key: `reduce:${name}:${t}:${compensated ? 'df:' : ''}${cooperative ? 'wg' : 'thread'}`,
      source: () => (compensated ? compensatedSumShader(cooperative) : reduceShader(t, init, comb, cooperative)),
      inputs: [gpu.get(x.dataId)],
      outputs: [out.data],
      meta,
      workgroups: groups === 0 ? [0, 1, 1] : [gx, Math.ceil(groups / gx), 1],
    });
    return out.info;
  });
}

/** sum, prod, max, min. */
export const REDUCE_WEBGPU_KERNELS: readonly KernelConfig[] = REDUCE_KERNELS.map(makeReduceKernel);
