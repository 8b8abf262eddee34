import { checkAxis, checkGatherIndexShapes, DTypeError, type KernelConfig, splitAtAxis } from '@backstep/tensor';
import { assertIndexDType, assertSameDType, defineKernel, expectInputs, gpuBackend } from './define.js';
import { checkIndices } from './index-check.js';
import { grid, shader, stridesOf, wgslType } from './wgsl.js';

/**
 * scatter / scatterAdd without atomics: one thread per output element walks the index entries that
 * can target it (same coordinates outside `axis`) in order, so duplicates resolve exactly as a
 * sequential loop does (last write wins; sums in index order, bit-identical to the CPU backend).
 * Parameters: `[count, rank, axis, xShape..., indexShape..., indexStrides..., srcStrides...]`.
 */
function scatterShader(t: string, add: boolean): string {
  return shader({
    inputs: [['x', t], ['idx', 'i32'], ['src', t]],
    outputs: [['out', t]],
    body: `  let rank = prm[1]; let axis = prm[2];
  var rem = i;
  var iOff = 0; var sOff = 0; var tgt = 0; var inside = true;
  for (var d = rank - 1; d >= 0; d--) {
    let s = u32(prm[3 + d]);
    let p = i32(rem % s);
    rem = rem / s;
    if (d == axis) { tgt = p; continue; }
    if (p >= prm[3 + rank + d]) { inside = false; }
    iOff += p * prm[3 + 2 * rank + d];
    sOff += p * prm[3 + 3 * rank + d];
  }
  var v = x[i];
  if (inside) {
    let iStride = prm[3 + 2 * rank + axis]; let sStride = prm[3 + 3 * rank + axis];
    for (var k = 0; k < prm[3 + rank + axis]; k++) {
      if (idx[u32(iOff + k * iStride)] == tgt) { v = ${add ? 'v + ' : ''}src[u32(sOff + k * sStride)]; }
    }
  }
  out[i] = v;`,
  });
}

function makeScatter(name: 'scatter' | 'scatterAdd'): KernelConfig {
  const add = name === 'scatterAdd';
  return defineKernel(name, ({ inputs, attrs, backend }) => {
    const gpu = gpuBackend(backend, name);
    const [x, index, src] = expectInputs(name, inputs, 3);
    assertIndexDType(name, index.dtype);
    assertSameDType(name, [x.dtype, src.dtype]);
    if (add && x.dtype === 'bool') throw new DTypeError(`${name}: not supported for dtype bool on the webgpu backend (expected float32, int32)`);
    const { axis } = attrs;
    checkAxis(name, axis, x.shape.length, true);
    checkGatherIndexShapes(name, x.shape, index.shape, axis, src.shape);
    const one = (s: readonly number[]): number[] => (s.length === 0 ? [1] : [...s]);
    const [xs, is, ss] = [one(x.shape), one(index.shape), one(src.shape)];
    const out = gpu.makeOutput(x.shape, x.dtype);
    const idx = gpu.get(index.dataId);
    checkIndices(gpu, name, idx, is.reduce((p, d) => p * d, 1), axis, xs[axis] as number, out.data);
    const n = out.data.length;
    // bitwise copies for scatter; typed accumulation for scatterAdd (ulp-exact sums need f32 adds)
    const t = add ? wgslType(x.dtype) : 'u32';
    gpu.dispatch({
      key: `${name}:${t}`,
      source: () => scatterShader(t, add),
      inputs: [gpu.get(x.dataId), idx, gpu.get(src.dataId)],
      outputs: [out.data],
      meta: [n, xs.length, axis, ...xs, ...is, ...stridesOf(is), ...stridesOf(ss)],
      workgroups: grid(n),
    });
    return out.info;
  });
}

/** `scatter(x, index, src, axis)` (torch.scatter): a copy of x with x[index[p]] = src[p] along axis. */
export const scatterKernel: KernelConfig = makeScatter('scatter');
/** `scatterAdd(x, index, src, axis)` (torch.scatter_add): like scatter but adds; duplicates accumulate. */
export const scatterAddKernel: KernelConfig = makeScatter('scatterAdd');

/**
 * `indexAdd(x, index, src, axis)` (torch.index_add): a copy of x with src's slices added at the
 * positions a 1-D index gives along axis, in index order. Parameters: `[count, size, J, inner]`.
 */
export const indexAddKernel: KernelConfig = defineKernel('indexAdd', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'indexAdd');
  const [x, index, src] = expectInputs('indexAdd', inputs, 3);
  assertIndexDType('indexAdd', index.dtype);
  assertSameDType('indexAdd', [x.dtype, src.dtype]);
  if (x.dtype === 'bool') throw new DTypeError('indexAdd: not supported for dtype bool on the webgpu backend (expected float32, int32)');
  if (index.shape.length > 1) throw new RangeError(`indexAdd: index must be 1-D, got shape [${index.shape.join(', ')}]`);
  const { axis } = attrs;
  checkAxis('indexAdd', axis, x.shape.length, true);
  const { size, inner } = splitAtAxis(x.shape, axis);
  const j = index.shape.length === 0 ? 1 : (index.shape[0] as number);
  const expected = x.shape.length === 0 ? [j] : x.shape.map((d, i) => (i === axis ? j : d));
  const srcShape = src.shape.length === 0 ? [1] : src.shape;
  if (srcShape.length !== expected.length || srcShape.some((d, i) => d !== expected[i])) {
    throw new RangeError(`indexAdd: src shape [${src.shape.join(', ')}] must be [${expected.join(', ')}]`);
  }
  const out = gpu.makeOutput(x.shape, x.dtype);
  const idx = gpu.get(index.dataId);
  checkIndices(gpu, 'indexAdd', idx, j, axis, size, out.data);
  const t = wgslType(x.dtype);
  const n = out.data.length;
  gpu.dispatch({
    key: `indexAdd:${t}`,
    source: () =>
      shader({
        inputs: [['x', t], ['idx', 'i32'], ['src', t]],
        outputs: [['out', t]],
        body: `  let size = u32(prm[1]); let J = u32(prm[2]); let inner = u32(prm[3]);
  let o = i / (size * inner); let p = i32((i / inner) % size); let r = i % inner;
  var acc = x[i];
  for (var k = 0u; k < J; k++) {
    if (idx[k] == p) { acc += src[(o * J + k) * inner + r]; }
  }
  out[i] = acc;`,
      }),
    inputs: [gpu.get(x.dataId), idx, gpu.get(src.dataId)],
    outputs: [out.data],
    meta: [n, size, j, inner],
    workgroups: grid(n),
  });
  return out.info;
});
