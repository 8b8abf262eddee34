import { broadcastShapes, DTypeError, fmtShape, ShapeError, type KernelConfig } from '@backstep/tensor';
import { defineKernel, expectInputs, gpuBackend } from './define.js';
import { mergeDims } from './reduce-plan.js';
import { stridedCopy } from './strided.js';
import { broadcastStridesOf, stridesOf } from './wgsl.js';

/** `transpose(x, perm)`: output dim i is input dim perm[i]; a strided copy. */
export const transposeKernel: KernelConfig = defineKernel('transpose', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'transpose');
  const [x] = expectInputs('transpose', inputs, 1);
  const { perm } = attrs;
  const rank = x.shape.length;
  const seen = new Set(perm);
  if (perm.length !== rank || seen.size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
    throw new ShapeError(`transpose: ${JSON.stringify(perm)} is not a permutation of the dims of a rank-${rank} tensor`);
  }
  const inStrides = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p] as number);
  const out = gpu.makeOutput(outShape, x.dtype);
  const m = mergeDims(outShape, perm.map((p) => inStrides[p] as number));
  stridedCopy(gpu, 'gather', gpu.get(x.dataId), out.data, m.shape, m.strides, 0);
  return out.info;
});

/** `expand(x, shape)`: x broadcast (NumPy rules) to `shape` and materialised. */
export const expandKernel: KernelConfig = defineKernel('expand', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'expand');
  const [x] = expectInputs('expand', inputs, 1);
  const to = [...attrs.shape];
  const b = broadcastShapes(x.shape, to, 'expand');
  if (b.length !== to.length || b.some((d, i) => d !== to[i])) {
    throw new ShapeError(`expand: cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(to)}`);
  }
  const out = gpu.makeOutput(to, x.dtype);
  const m = mergeDims(to, broadcastStridesOf(x.shape, to));
  stridedCopy(gpu, 'gather', gpu.get(x.dataId), out.data, m.shape, m.strides, 0);
  return out.info;
});

/** The region of a slice: its shape, strides into the sliced tensor and start offset (validated). */
export function sliceRegion(op: string, shape: readonly number[], begin: readonly number[], end: readonly number[], step: readonly number[]): { shape: number[]; strides: number[]; offset: number } {
  const rank = shape.length;
  if (begin.length !== rank || end.length !== rank || step.length !== rank) {
    throw new ShapeError(`${op}: begin/end/step need one entry per dim of ${fmtShape(shape)} (got ${begin.length}, ${end.length}, ${step.length})`);
  }
  const strides = stridesOf(shape);
  const out = { shape: [] as number[], strides: [] as number[], offset: 0 };
  for (let d = 0; d < rank; d++) {
    const [size, b, e, s] = [shape[d], begin[d], end[d], step[d]] as [number, number, number, number];
    if (![b, e, s].every(Number.isInteger) || b < 0 || e < b || e > size || s < 1) {
      throw new RangeError(`${op}: invalid range begin=${b}, end=${e}, step=${s} for dim ${d} of size ${size}`);
    }
    out.shape.push(Math.ceil((e - b) / s));
    out.strides.push((strides[d] as number) * s);
    out.offset += b * (strides[d] as number);
  }
  return out;
}

/** `slice(x, begin, end, step)`: elements begin, begin+step, ... < end along each dim. */
export const sliceKernel: KernelConfig = defineKernel('slice', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'slice');
  const [x] = expectInputs('slice', inputs, 1);
  const r = sliceRegion('slice', x.shape, attrs.begin, attrs.end, attrs.step);
  const out = gpu.makeOutput(r.shape, x.dtype);
  const m = mergeDims(r.shape, r.strides);
  stridedCopy(gpu, 'gather', gpu.get(x.dataId), out.data, m.shape, m.strides, r.offset);
  return out.info;
});

/** `sliceScatter(base, src, begin, end, step)`: a copy of base whose slice region holds src. */
export const sliceScatterKernel: KernelConfig = defineKernel('sliceScatter', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'sliceScatter');
  const [base, src] = expectInputs('sliceScatter', inputs, 2);
  if (base.dtype !== src.dtype) throw new DTypeError(`sliceScatter: expected inputs of one dtype, got ${base.dtype} and ${src.dtype}`);
  const r = sliceRegion('sliceScatter', base.shape, attrs.begin, attrs.end, attrs.step);
  if (r.shape.length !== src.shape.length || r.shape.some((d, i) => d !== src.shape[i])) {
    throw new ShapeError(`sliceScatter: src shape ${fmtShape(src.shape)} does not match the slice shape ${fmtShape(r.shape)}`);
  }
  const out = gpu.makeOutput(base.shape, base.dtype);
  gpu.copy(gpu.get(base.dataId), out.data);
  const m = mergeDims(r.shape, r.strides);
  stridedCopy(gpu, 'scatter', gpu.get(src.dataId), out.data, m.shape, m.strides, r.offset);
  return out.info;
});

/** `concat(x0, x1, ...)` along `axis`: each input is scattered into its block of the output. */
export const concatKernel: KernelConfig = defineKernel('concat', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'concat');
  const first = inputs[0];
  if (first === undefined) throw new TypeError('concat: expected at least one input');
  const rank = first.shape.length;
  if (rank === 0) throw new ShapeError('concat: zero-dimensional tensors cannot be concatenated');
  const { axis } = attrs;
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw new RangeError(`concat: axis ${axis} is out of range for a tensor of rank ${rank}`);
  let total = 0;
  for (const t of inputs) {
    if (t.dtype !== first.dtype) throw new DTypeError(`concat: expected inputs of one dtype, got ${first.dtype} and ${t.dtype}`);
    if (t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      throw new ShapeError(`concat: shapes ${fmtShape(first.shape)} and ${fmtShape(t.shape)} differ outside axis ${axis}`);
    }
    total += t.shape[axis] as number;
  }
  const outShape = first.shape.map((d, i) => (i === axis ? total : d));
  const out = gpu.makeOutput(outShape, first.dtype);
  const outStrides = stridesOf(outShape);
  let at = 0;
  for (const t of inputs) {
    const m = mergeDims(t.shape, outStrides);
    stridedCopy(gpu, 'scatter', gpu.get(t.dataId), out.data, m.shape, m.strides, at * (outStrides[axis] as number));
    at += t.shape[axis] as number;
  }
  return out.info;
});
