import { assertDType, assertShape, sizeOf, type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';

/**
 * `fill({ shape, dtype, value })`: a new buffer with every element `value`, converted like `cast`
 * (bool: value !== 0; int32: truncated toward zero; float32: rounded).
 */
export const fillKernel: KernelConfig = defineKernel('fill', ({ attrs, backend }) => {
  const cpu = cpuBackend(backend, 'fill');
  const { shape, dtype, value } = attrs;
  assertShape(shape, 'fill');
  assertDType(dtype, 'fill');
  const out = cpu.alloc(dtype, sizeOf(shape));
  const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : dtype === 'int32' ? Math.trunc(value) : value;
  out.fill(v);
  return cpu.makeOutput(out, shape, dtype);
});
