import { checkAxis, fmtShape, type KernelConfig, ShapeError, splitAtAxis } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { checkIndex } from './index-check.js';
import { assertIndexDType, assertSameDType, cpuBackend } from './kernel-utils.js';

/**
 * `indexAdd(x, index, src)` along `axis`, as torch.index_add: a copy of x with src's slice i added
 * into slice index[i] (duplicates accumulate). src has x's shape with axis of size index.length.
 * Out-of-range indices throw a RangeError before anything is written.
 */
export const indexAddKernel: KernelConfig = defineKernel('indexAdd', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'indexAdd');
  const [x, index, src] = inputs;
  if (x === undefined || index === undefined || src === undefined) throw new TypeError('indexAdd: expected inputs x, index, src');
  assertIndexDType('indexAdd', index.dtype);
  assertSameDType('indexAdd', [x.dtype, src.dtype]);
  if (index.shape.length > 1) throw new ShapeError(`indexAdd: index must be 1-D, got shape ${fmtShape(index.shape)}`);
  const { axis } = attrs;
  checkAxis('indexAdd', axis, x.shape.length, true);
  const iv = cpu.dataOf(index);
  const m = iv.length;
  const expected = x.shape.length === 0 ? [] : x.shape.map((d, k) => (k === axis ? m : d));
  const srcOk = src.shape.length === expected.length && src.shape.every((d, k) => d === expected[k]);
  if (!srcOk && !(x.shape.length === 0 && src.shape.length <= 1 && m === 1)) {
    throw new ShapeError(`indexAdd: src shape ${fmtShape(src.shape)} should be ${fmtShape(expected)} (x ${fmtShape(x.shape)}, ${m} indices)`);
  }
  const { outer, size, inner } = splitAtAxis(x.shape, axis);
  for (let i = 0; i < m; i++) checkIndex('indexAdd', iv[i] as number, axis, size);
  const out = cpu.copyOf(x);
  const sv = cpu.dataOf(src);
  const isBool = x.dtype === 'bool';
  const isInt = x.dtype === 'int32';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      const to = (o * size + (iv[i] as number)) * inner;
      const from = (o * m + i) * inner;
      for (let j = 0; j < inner; j++) {
        const a = out[to + j] as number;
        const b = sv[from + j] as number;
        out[to + j] = isBool ? a | b : isInt ? (a + b) | 0 : a + b;
      }
    }
  }
  return cpu.makeOutput(out, x.shape, x.dtype);
});
