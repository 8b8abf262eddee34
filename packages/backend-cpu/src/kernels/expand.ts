import { assertShape, type KernelConfig } from '@backstep/tensor';
import { broadcastStrides, stridedOffsets } from './broadcast-index.js';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';

/** `expand(x, shape)`: x broadcast (NumPy rules, right-aligned) to `shape`, materialised. */
export const expandKernel: KernelConfig = defineKernel('expand', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'expand');
  const x = inputs[0];
  if (x === undefined) throw new TypeError('expand: expected one input');
  assertShape(attrs.shape, 'expand');
  const shape = [...attrs.shape];
  const idx = stridedOffsets(shape, broadcastStrides(x.shape, shape, 'expand'));
  const src = cpu.dataOf(x);
  const out = cpu.alloc(x.dtype, idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = src[idx[i] as number] as number;
  return cpu.makeOutput(out, shape, x.dtype);
});
