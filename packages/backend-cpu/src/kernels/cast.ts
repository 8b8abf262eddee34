import { assertDType, type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';

/**
 * `cast(x, dtype)`: a new buffer of `dtype`. bool → number gives 0/1, number → bool is `x !== 0`
 * (NaN is true), float → int32 truncates toward zero (NaN becomes 0), float64 → float32 rounds to nearest.
 */
export const castKernel: KernelConfig = defineKernel('cast', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'cast');
  const x = inputs[0];
  if (x === undefined) throw new TypeError('cast: expected one input');
  const dtype = attrs.dtype;
  assertDType(dtype, 'cast');
  const src = cpu.dataOf(x);
  const out = cpu.alloc(dtype, src.length);
  if (dtype === 'bool') {
    for (let i = 0; i < src.length; i++) out[i] = (src[i] as number) !== 0 ? 1 : 0;
  } else if (dtype === 'int32') {
    for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i] as number);
  } else {
    out.set(src);
  }
  return cpu.makeOutput(out, x.shape, dtype);
});
