import { checkAxis, fmtShape, type KernelConfig, ShapeError, splitAtAxis } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { checkIndex } from './index-check.js';
import { assertIndexDType, cpuBackend } from './kernel-utils.js';

/**
 * `indexSelect(x, index)` along `axis`, as torch.index_select: the slices x[..., index[i], ...]
 * stacked along axis (index is 1-D, or 0-d meaning one index). Out-of-range indices throw a RangeError.
 */
export const indexSelectKernel: KernelConfig = defineKernel('indexSelect', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'indexSelect');
  const [x, index] = inputs;
  if (x === undefined || index === undefined) throw new TypeError('indexSelect: expected inputs x, index');
  assertIndexDType('indexSelect', index.dtype);
  if (index.shape.length > 1) throw new ShapeError(`indexSelect: index must be 1-D, got shape ${fmtShape(index.shape)}`);
  const { axis } = attrs;
  checkAxis('indexSelect', axis, x.shape.length, true);
  const iv = cpu.dataOf(index);
  const { outer, size, inner } = splitAtAxis(x.shape, axis);
  for (let i = 0; i < iv.length; i++) checkIndex('indexSelect', iv[i] as number, axis, size);
  const m = iv.length;
  const xv = cpu.dataOf(x);
  const out = cpu.alloc(x.dtype, outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      const from = (o * size + (iv[i] as number)) * inner;
      out.set(xv.subarray(from, from + inner), (o * m + i) * inner);
    }
  }
  const shape = x.shape.length === 0 ? [] : x.shape.map((d, k) => (k === axis ? m : d));
  return cpu.makeOutput(out, shape, x.dtype);
});
