import { type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { assertDTypeIn, cpuBackend } from './kernel-utils.js';

/**
 * `clamp(x, min, max)` = min(max(x, min), max) as torch.clamp: NaN stays NaN, a null bound is
 * unbounded, and when min > max every element becomes max. Output has x's dtype.
 */
export const clampKernel: KernelConfig = defineKernel('clamp', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'clamp');
  const x = inputs[0];
  if (x === undefined) throw new TypeError('clamp: expected one input');
  assertDTypeIn('clamp', x.dtype, ['float32', 'float64', 'int32']);
  const lo = attrs.min ?? -Infinity;
  const hi = attrs.max ?? Infinity;
  const src = cpu.dataOf(x);
  const out = cpu.alloc(x.dtype, src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i] as number;
    // NaN input stays NaN; a NaN bound gives NaN (Math.max/min propagate it).
    out[i] = v !== v ? v : Math.min(Math.max(v, lo), hi);
  }
  return cpu.makeOutput(out, x.shape, x.dtype);
});
