import { fmtShape, ShapeError, type KernelConfig } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { assertSameDType, cpuBackend, sameShape } from './kernel-utils.js';
import { sliceRegion } from './slice-region.js';

/** `sliceScatter(base, src)`: a copy of base whose slice region (as in `slice`) holds src's values. */
export const sliceScatterKernel: KernelConfig = defineKernel('sliceScatter', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'sliceScatter');
  const [base, src] = inputs;
  if (base === undefined || src === undefined) throw new TypeError('sliceScatter: expected inputs base, src');
  assertSameDType('sliceScatter', [base.dtype, src.dtype]);
  const region = sliceRegion('sliceScatter', base.shape, attrs.begin, attrs.end, attrs.step);
  if (!sameShape(region.shape, src.shape)) {
    throw new ShapeError(
      `sliceScatter: src shape ${fmtShape(src.shape)} does not match the slice shape ${fmtShape(region.shape)}`,
    );
  }
  const out = cpu.copyOf(base);
  const sv = cpu.dataOf(src);
  const idx = region.offsets;
  for (let i = 0; i < idx.length; i++) out[idx[i] as number] = sv[i] as number;
  return cpu.makeOutput(out, base.shape, base.dtype);
});
