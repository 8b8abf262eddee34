import { checkAxis, contiguousStrides, type KernelConfig } from '@backstep/tensor';
import { stridedOffsets } from './broadcast-index.js';
import { defineKernel } from './define.js';
import { checkGatherShapes, checkIndex, offsetsOverIndex } from './index-check.js';
import { assertIndexDType, assertSameDType, cpuBackend } from './kernel-utils.js';

/**
 * The scatter family, as torch.scatter / torch.scatter_add: a copy of x where, for each position p
 * of index, out[p with p[axis] = index[p]] is set to (or, accumulating, increased by) src[p].
 * index may be smaller than src everywhere and than x outside axis. Indices are validated before
 * anything is written; out-of-range ones throw a RangeError.
 */
function makeScatterKernel(name: 'scatter' | 'scatterAdd'): KernelConfig {
  const accumulate = name === 'scatterAdd';
  return defineKernel(name, ({ inputs, attrs, backend }) => {
    const cpu = cpuBackend(backend, name);
    const [x, index, src] = inputs;
    if (x === undefined || index === undefined || src === undefined) {
      throw new TypeError(`${name}: expected inputs x, index, src`);
    }
    assertIndexDType(name, index.dtype);
    assertSameDType(name, [x.dtype, src.dtype]);
    const { axis } = attrs;
    checkAxis(name, axis, x.shape.length, true);
    checkGatherShapes(name, x.shape, index.shape, axis, src.shape);
    const size = x.shape.length === 0 ? 1 : (x.shape[axis] as number);
    const iv = cpu.dataOf(index);
    for (let i = 0; i < iv.length; i++) checkIndex(name, iv[i] as number, axis, size);
    const { offsets, axisStride } = offsetsOverIndex(x.shape, index.shape, axis);
    const srcStrides = src.shape.length === 0 ? index.shape.map(() => 0) : contiguousStrides(src.shape);
    const srcOffsets = stridedOffsets(index.shape, srcStrides);
    const out = cpu.copyOf(x);
    const sv = cpu.dataOf(src);
    const isBool = x.dtype === 'bool';
    const isInt = x.dtype === 'int32';
    for (let i = 0; i < iv.length; i++) {
      const o = (offsets[i] as number) + (iv[i] as number) * axisStride;
      const v = sv[srcOffsets[i] as number] as number;
      if (!accumulate) out[o] = v;
      else if (isBool) out[o] = (out[o] as number) | v;
      else if (isInt) out[o] = ((out[o] as number) + v) | 0;
      else out[o] = (out[o] as number) + v;
    }
    return cpu.makeOutput(out, x.shape, x.dtype);
  });
}

/** torch.scatter: writes src values at the indexed positions (the last write wins for duplicates). */
export const scatterKernel: KernelConfig = makeScatterKernel('scatter');

/** torch.scatter_add: adds src values at the indexed positions (duplicates accumulate). */
export const scatterAddKernel: KernelConfig = makeScatterKernel('scatterAdd');
