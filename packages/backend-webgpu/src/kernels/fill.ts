import { assertDType, assertShape, type KernelConfig } from '@backstep/tensor';
import { assertWebGpuDType } from '../host-data.js';
import { defineKernel, gpuBackend } from './define.js';
import { f32Bits, grid, shader } from './wgsl.js';

/**
 * `fill({ shape, dtype, value })`: a new buffer with every element `value`, converted like `cast`
 * (bool: value !== 0; int32: truncated toward zero; float32: rounded). One shader for every dtype:
 * the element's 32-bit pattern is computed on the host.
 */
export const fillKernel: KernelConfig = defineKernel('fill', ({ attrs, backend }) => {
  const gpu = gpuBackend(backend, 'fill');
  const { shape, dtype, value } = attrs;
  assertShape(shape, 'fill');
  assertDType(dtype, 'fill');
  assertWebGpuDType(dtype, 'fill');
  const out = gpu.makeOutput(shape, dtype);
  const bits = dtype === 'float32' ? f32Bits(value) : dtype === 'bool' ? (value !== 0 ? 1 : 0) : Math.trunc(value) | 0;
  const n = out.data.length;
  gpu.dispatch({
    key: 'fill',
    source: () => shader({ inputs: [], outputs: [['out', 'i32']], body: '  out[i] = prm[1];' }),
    inputs: [],
    outputs: [out.data],
    meta: [n, bits],
    workgroups: grid(n),
  });
  return out.info;
});
