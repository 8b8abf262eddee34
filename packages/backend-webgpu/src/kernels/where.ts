import { DTypeError, type KernelConfig } from '@backstep/tensor';
import { broadcastMap } from './broadcast.js';
import { assertSameDType, defineKernel, expectInputs, gpuBackend } from './define.js';
import { wgslType } from './wgsl.js';

/** `where(cond, a, b)`: a where cond is true, else b; cond (bool), a and b broadcast together. */
export const whereKernel: KernelConfig = defineKernel('where', ({ inputs, backend }) => {
  const gpu = gpuBackend(backend, 'where');
  const [cond, a, b] = expectInputs('where', inputs, 3);
  if (cond.dtype !== 'bool') throw new DTypeError(`where: expected a bool condition, got ${cond.dtype}`);
  assertSameDType('where', [a.dtype, b.dtype]);
  const t = wgslType(a.dtype);
  return broadcastMap(gpu, {
    op: 'where',
    key: `where:${t}`,
    inputs: [cond, a, b],
    types: ['i32', t, t],
    out: { dtype: a.dtype, type: t },
    expr: 'select(x2, x1, x0 != 0)',
  });
});
