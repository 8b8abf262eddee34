import { assertShape, fmtShape, ShapeError, sizeOf, type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';

/**
 * `reshape(x, shape)`: the same buffer under a new shape of equal size. Returns x's data id,
 * which the Engine reference-counts, so no values are copied.
 */
export const reshapeKernel: KernelConfig = defineKernel('reshape', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'reshape');
  const x = inputs[0];
  if (x === undefined) throw new TypeError('reshape: expected one input');
  assertShape(attrs.shape, 'reshape');
  if (sizeOf(attrs.shape) !== sizeOf(x.shape)) {
    throw new ShapeError(
      `reshape: shape ${fmtShape(attrs.shape)} is invalid for input of size ${sizeOf(x.shape)} (shape ${fmtShape(x.shape)})`,
    );
  }
  cpu.get(x.dataId); // throws for a released buffer
  return { dataId: x.dataId, shape: [...attrs.shape], dtype: x.dtype };
});
