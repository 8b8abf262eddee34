import { checkAxis, DTypeError, fmtShape, type KernelConfig, ShapeError, splitAtAxis } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { cpuBackend } from './kernel-utils.js';

/** `concat(x0, x1, ...)` along `axis`: inputs of one dtype whose shapes agree except along axis. */
export const concatKernel: KernelConfig = defineKernel('concat', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'concat');
  const first = inputs[0];
  if (first === undefined) throw new TypeError('concat: expected at least one input');
  const { axis } = attrs;
  const rank = first.shape.length;
  if (rank === 0) throw new ShapeError('concat: zero-dimensional tensors cannot be concatenated');
  checkAxis('concat', axis, rank);
  let total = 0;
  for (const t of inputs) {
    if (t.dtype !== first.dtype) throw new DTypeError(`concat: expected inputs of one dtype, got ${first.dtype} and ${t.dtype}`);
    const ok = t.shape.length === rank && t.shape.every((d, i) => i === axis || d === first.shape[i]);
    if (!ok) {
      throw new ShapeError(
        `concat: shapes ${fmtShape(first.shape)} and ${fmtShape(t.shape)} must match except in dimension ${axis}`,
      );
    }
    total += t.shape[axis] as number;
  }
  const shape = first.shape.map((d, i) => (i === axis ? total : d));
  const { outer, inner } = splitAtAxis(shape, axis);
  const out = cpu.alloc(first.dtype, outer * total * inner);
  const rowLen = total * inner;
  let colOffset = 0;
  for (const t of inputs) {
    const src = cpu.dataOf(t);
    const chunk = (t.shape[axis] as number) * inner;
    for (let o = 0; o < outer; o++) {
      out.set(src.subarray(o * chunk, (o + 1) * chunk), o * rowLen + colOffset);
    }
    colOffset += chunk;
  }
  return cpu.makeOutput(out, shape, first.dtype);
});
