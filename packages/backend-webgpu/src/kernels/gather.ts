import { checkAxis, checkGatherIndexShapes, type KernelConfig, splitAtAxis } from '@backstep/tensor';
import { assertIndexDType, defineKernel, expectInputs, gpuBackend } from './define.js';
import { checkIndices } from './index-check.js';
import { grid, shader, stridedFn, stridesOf } from './wgsl.js';

/**
 * `gather(x, index, axis)` (torch.gather): out[p] = x[p with its axis coordinate replaced by index[p]].
 * Out-of-range indices read nothing and are reported as a RangeError at the next read.
 * Parameters: `[count, rank, size, axisStride, indexShape..., xStrides (axis zeroed)...]`.
 */
export const gatherKernel: KernelConfig = defineKernel('gather', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'gather');
  const [x, index] = expectInputs('gather', inputs, 2);
  assertIndexDType('gather', index.dtype);
  const { axis } = attrs;
  checkAxis('gather', axis, x.shape.length, true);
  checkGatherIndexShapes('gather', x.shape, index.shape, axis);
  const xShape = x.shape.length === 0 ? [1] : x.shape;
  const iShape = index.shape.length === 0 ? [1] : index.shape;
  const size = xShape[axis] as number;
  const xs = stridesOf(xShape);
  const out = gpu.makeOutput(index.shape, x.dtype);
  const idx = gpu.get(index.dataId);
  const n = out.data.length;
  checkIndices(gpu, 'gather', idx, n, axis, size, out.data);
  gpu.dispatch({
    key: 'gather',
    source: () =>
      shader({
        inputs: [['x', 'u32'], ['idx', 'i32']],
        outputs: [['out', 'u32']],
        helpers: [stridedFn('off1', 1)],
        body: `  let v = idx[i];
  var r = 0u;
  if (v >= 0 && v < prm[2]) { r = x[u32(off1(i, prm[1], 4, 4 + prm[1]) + v * prm[3])]; }
  out[i] = r;`,
      }),
    inputs: [gpu.get(x.dataId), idx],
    outputs: [out.data],
    meta: [n, iShape.length, size, xs[axis] as number, ...iShape, ...xs.map((s, d) => (d === axis ? 0 : s))],
    workgroups: grid(n),
  });
  return out.info;
});

/** `indexSelect(x, index, axis)` (torch.index_select): slices of x along axis picked by a 1-D index. */
export const indexSelectKernel: KernelConfig = defineKernel('indexSelect', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'indexSelect');
  const [x, index] = expectInputs('indexSelect', inputs, 2);
  assertIndexDType('indexSelect', index.dtype);
  if (index.shape.length > 1) throw new RangeError(`indexSelect: index must be 1-D, got shape [${index.shape.join(', ')}]`);
  const { axis } = attrs;
  checkAxis('indexSelect', axis, x.shape.length, true);
  const { outer, size, inner } = splitAtAxis(x.shape, axis);
  const j = index.shape.length === 0 ? 1 : (index.shape[0] as number);
  const outShape = x.shape.length === 0 ? [...index.shape] : x.shape.map((d, i) => (i === axis ? j : d));
  const out = gpu.makeOutput(outShape, x.dtype);
  const idx = gpu.get(index.dataId);
  checkIndices(gpu, 'indexSelect', idx, j, axis, size, out.data);
  const n = outer * j * inner;
  gpu.dispatch({
    key: 'indexSelect',
    source: () =>
      shader({
        inputs: [['x', 'u32'], ['idx', 'i32']],
        outputs: [['out', 'u32']],
        body: `  let J = u32(prm[2]); let inner = u32(prm[3]);
  let o = i / (J * inner); let jj = (i / inner) % J; let r = i % inner;
  let v = idx[jj];
  var val = 0u;
  if (v >= 0 && v < prm[1]) { val = x[(o * u32(prm[1]) + u32(v)) * inner + r]; }
  out[i] = val;`,
      }),
    inputs: [gpu.get(x.dataId), idx],
    outputs: [out.data],
    meta: [n, size, j, inner],
    workgroups: grid(n),
  });
  return out.info;
});
