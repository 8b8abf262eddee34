import { allocArray, broadcastAll, DTypeError, type KernelConfig } from '@backstep/tensor';
import { broadcastOffsets } from './broadcast-index.js';
import { defineKernel } from './define.js';
import { assertSameDType, cpuBackend } from './kernel-utils.js';

/** `where(cond, a, b)`: a where cond is true, else b; the three inputs broadcast together. */
export const whereKernel: KernelConfig = defineKernel('where', ({ inputs, backend }) => {
  const cpu = cpuBackend(backend, 'where');
  const [cond, a, b] = inputs;
  if (cond === undefined || a === undefined || b === undefined) throw new TypeError('where: expected inputs cond, a, b');
  if (cond.dtype !== 'bool') throw new DTypeError(`where: expected a bool condition, got ${cond.dtype}`);
  assertSameDType('where', [a.dtype, b.dtype]);
  const shape = broadcastAll([cond.shape, a.shape, b.shape], 'where');
  const cv = cpu.dataOf(cond);
  const av = cpu.dataOf(a);
  const bv = cpu.dataOf(b);
  const ci = broadcastOffsets(cond.shape, shape, 'where');
  const ai = broadcastOffsets(a.shape, shape, 'where');
  const bi = broadcastOffsets(b.shape, shape, 'where');
  const n = shape.reduce((p, d) => p * d, 1);
  const out = allocArray(a.dtype, n);
  for (let i = 0; i < n; i++) {
    const c = cv[ci === null ? i : (ci[i] as number)] as number;
    out[i] = c !== 0 ? (av[ai === null ? i : (ai[i] as number)] as number) : (bv[bi === null ? i : (bi[i] as number)] as number);
  }
  return cpu.makeOutput(out, shape, a.dtype);
});
