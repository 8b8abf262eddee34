import { assertShape, fmtShape, ShapeError, sizeOf, type KernelConfig } from '@backstep/tensor';
import { defineKernel, expectInputs, gpuBackend } from './define.js';

/** `copy(x)`: a new buffer with x's values (a buffer-to-buffer copy in the batched command stream). */
export const copyKernel: KernelConfig = defineKernel('copy', ({ inputs, backend }) => {
  const gpu = gpuBackend(backend, 'copy');
  const [x] = expectInputs('copy', inputs, 1);
  const out = gpu.makeOutput(x.shape, x.dtype);
  gpu.copy(gpu.get(x.dataId), out.data);
  return out.info;
});

/**
 * `reshape(x, shape)`: the same buffer under a new shape of equal size. Returns x's data id, which
 * the Engine reference-counts, so nothing is copied or dispatched.
 */
export const reshapeKernel: KernelConfig = defineKernel('reshape', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'reshape');
  const [x] = expectInputs('reshape', inputs, 1);
  assertShape(attrs.shape, 'reshape');
  if (sizeOf(attrs.shape) !== sizeOf(x.shape)) {
    throw new ShapeError(`reshape: shape ${fmtShape(attrs.shape)} is invalid for input of size ${sizeOf(x.shape)} (shape ${fmtShape(x.shape)})`);
  }
  gpu.get(x.dataId); // throws for a released buffer
  return { dataId: x.dataId, shape: [...attrs.shape], dtype: x.dtype };
});
