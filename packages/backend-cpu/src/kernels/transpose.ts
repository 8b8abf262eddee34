import { contiguousStrides, ShapeError, type KernelConfig } from '@backstep/tensor';
import { stridedOffsets } from './broadcast-index.js';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';

/** Throws unless `perm` is a permutation of [0, rank). */
function checkPerm(perm: readonly number[], rank: number): void {
  const seen = new Array<boolean>(rank).fill(false);
  const ok =
    perm.length === rank &&
    perm.every((p) => {
      if (!Number.isInteger(p) || p < 0 || p >= rank || seen[p]) return false;
      seen[p] = true;
      return true;
    });
  if (!ok) throw new ShapeError(`transpose: ${JSON.stringify(perm)} is not a permutation of the dims of a rank-${rank} tensor`);
}

/** `transpose(x, perm)`: a materialised permutation; output dim i is input dim perm[i]. */
export const transposeKernel: KernelConfig = defineKernel('transpose', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'transpose');
  const x = inputs[0];
  if (x === undefined) throw new TypeError('transpose: expected one input');
  const { perm } = attrs;
  checkPerm(perm, x.shape.length);
  const inStrides = contiguousStrides(x.shape);
  const shape = perm.map((p) => x.shape[p] as number);
  const strides = perm.map((p) => inStrides[p] as number);
  const src = cpu.dataOf(x);
  const idx = stridedOffsets(shape, strides);
  const out = cpu.alloc(x.dtype, idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = src[idx[i] as number] as number;
  return cpu.makeOutput(out, shape, x.dtype);
});
