import { checkAxis, type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { checkGatherShapes, checkIndex, offsetsOverIndex } from './index-check.js';
import { assertIndexDType, cpuBackend } from './kernel-utils.js';

/**
 * `gather(x, index)` along `axis`, as torch.gather: out has index's shape and
 * out[p] = x[p with p[axis] replaced by index[p]]. index may be smaller than x outside axis.
 * Out-of-range (or negative) indices throw a RangeError.
 */
export const gatherKernel: KernelConfig = defineKernel('gather', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'gather');
  const [x, index] = inputs;
  if (x === undefined || index === undefined) throw new TypeError('gather: expected inputs x, index');
  assertIndexDType('gather', index.dtype);
  const { axis } = attrs;
  checkAxis('gather', axis, x.shape.length, true);
  checkGatherShapes('gather', x.shape, index.shape, axis);
  const size = x.shape.length === 0 ? 1 : (x.shape[axis] as number);
  const { offsets, axisStride } = offsetsOverIndex(x.shape, index.shape, axis);
  const xv = cpu.dataOf(x);
  const iv = cpu.dataOf(index);
  const out = cpu.alloc(x.dtype, iv.length);
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i] as number;
    checkIndex('gather', k, axis, size);
    out[i] = xv[(offsets[i] as number) + k * axisStride] as number;
  }
  return cpu.makeOutput(out, index.shape, x.dtype);
});
