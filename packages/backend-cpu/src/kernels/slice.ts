import { type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';
import { sliceRegion } from './slice-region.js';

/** `slice(x, begin, end, step)`: elements begin, begin+step, ... < end of every dim, copied. */
export const sliceKernel: KernelConfig = defineKernel('slice', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'slice');
  const x = inputs[0];
  if (x === undefined) throw new TypeError('slice: expected one input');
  const region = sliceRegion('slice', x.shape, attrs.begin, attrs.end, attrs.step);
  const src = cpu.dataOf(x);
  const idx = region.offsets;
  const out = cpu.alloc(x.dtype, idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = src[idx[i] as number] as number;
  return cpu.makeOutput(out, region.shape, x.dtype);
});
