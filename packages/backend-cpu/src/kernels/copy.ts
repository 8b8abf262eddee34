import type { KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';

/**
 * `copy(x)`: a new buffer with x's values, shape and dtype. Large float buffers are copied lazily
 * ({@link CpuBackend.lazyCopyOutput}): on first read, or fused into the next out-of-place optimizer step.
 */
export const copyKernel: KernelConfig = defineKernel('copy', ({ inputs, backend }) => {
  const cpu = cpuBackend(backend, 'copy');
  const x = inputs[0];
  if (x === undefined) throw new TypeError('copy: expected one input');
  const src = cpu.dataOf(x);
  if (src.length >= 65536 && (x.dtype === 'float32' || x.dtype === 'float64')) return cpu.lazyCopyOutput(cpu.get(x.dataId), x.shape);
  const out = cpu.alloc(x.dtype, src.length);
  out.set(src);
  return cpu.makeOutput(out, x.shape, x.dtype);
});
