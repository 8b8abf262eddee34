import type { DType } from '../../dtype.js';
import type { ArgReduceKernel, ReduceKernel } from '../../kernel-names.js';
import { roundTo } from '../harness.js';
import { ints, numel, ravel, reduceRef, sixteenths, unravel } from '../reference.js';
import { ALL, FLOATS, NUMERIC, type Suite } from '../suite.js';

interface ReduceSpec {
  init: number;
  combine: (acc: number, v: number) => number;
  /** Sample values of a dtype (kept small so products stay exact enough). */
  values: (n: number, dtype: DType) => number[];
}

const SPECS: Record<ReduceKernel, ReduceSpec> = {
  sum: { init: 0, combine: (a, v) => a + v, values: (n, d) => (d === 'int32' ? ints(n, -50, 50) : sixteenths(n, 21)) },
  prod: {
    init: 1,
    combine: (a, v) => a * v,
    values: (n, d) => (d === 'int32' ? ints(n, -2, 3, 5) : sixteenths(n, 4).map((v) => 1 + v / 8)),
  },
  max: { init: -Infinity, combine: (a, v) => (v > a ? v : a), values: (n, d) => (d === 'int32' ? ints(n, -9, 9) : sixteenths(n, 8)) },
  min: { init: Infinity, combine: (a, v) => (v < a ? v : a), values: (n, d) => (d === 'int32' ? ints(n, -9, 9) : sixteenths(n, 8)) },
};

/** The output dtype of a reduction (sum/prod of bool and int32 give int32). */
function outDType(name: ReduceKernel, dtype: DType): DType {
  return (name === 'sum' || name === 'prod') && (dtype === 'int32' || dtype === 'bool') ? 'int32' : dtype;
}

const LAYOUTS: [number[], number[]][] = [
  [[2, 3, 4], [1]],
  [[2, 3, 4], [0]],
  [[2, 3, 4], [2]],
  [[2, 3, 4], [0, 2]],
  [[2, 3, 4], [0, 1, 2]],
  [[2, 3, 4], []],
  [[7], [0]],
  [[], []],
  [[0, 3], [1]],
];

/** Registers the reduction and arg-reduction cases. */
export function reduceCases(s: Suite): void {
  for (const [name, spec] of Object.entries(SPECS) as [ReduceKernel, ReduceSpec][]) {
    s.kernel(name, () => {
      for (const [shape, axes] of LAYOUTS) {
        for (const keepdim of [false, true]) {
          s.each(ALL, `shape [${shape.join(', ')}] over axes [${axes.join(', ')}]${keepdim ? ' keepdim' : ''}`, async (c, dtype) => {
            const n = numel(shape);
            const vals = (dtype === 'bool' ? ints(n, 0, 2, 3) : spec.values(n, dtype)).map((v) => roundTo(dtype, v));
            const r = reduceRef(vals, shape, axes, keepdim, spec.init, spec.combine);
            const y = c.run(name, [c.t(vals, shape, dtype)], { axes, keepdim });
            await c.expect(y, { shape: r.shape, dtype: outDType(name, dtype), values: r.values });
          });
        }
      }
      s.each(FLOATS, 'a long reduction matches the naive sum', async (c, dtype) => {
        if (name !== 'sum' && name !== 'max') return;
        const vals = sixteenths(10007, 99).map((v) => roundTo(dtype, v / 3));
        const r = reduceRef(vals, [10007], [0], false, spec.init, spec.combine);
        const y = c.run(name, [c.t(vals, [10007], dtype)], { axes: [0], keepdim: false });
        await c.expect(y, { shape: [], dtype, values: r.values }, dtype === 'float32' ? { rtol: 1e-5, atol: 1e-2 } : { rtol: 1e-12, atol: 1e-9 });
      });
    });
  }

  s.kernel('sum', () => {
    s.each(ALL, 'an empty reduction gives 0', async (c, dtype) => {
      const y = c.run('sum', [c.t([], [0, 3], dtype)], { axes: [0], keepdim: false });
      await c.expect(y, { shape: [3], dtype: outDType('sum', dtype), values: [0, 0, 0] });
    });
    s.eachSpecial(FLOATS, 'infinities and NaN', async (c, dtype) => {
      const x = c.t([Infinity, 1, 2, -Infinity, Infinity, 0, NaN, 1, 1, -Infinity, -Infinity, 5], [4, 3], dtype);
      const y = c.run('sum', [x], { axes: [1], keepdim: false });
      await c.expect(y, { shape: [4], dtype, values: [Infinity, NaN, NaN, -Infinity] });
    });
    s.each(['bool'], 'bool sum counts true values as int32', async (c) => {
      const y = c.run('sum', [c.t([1, 1, 0, 1, 0, 0], [2, 3], 'bool')], { axes: [1], keepdim: false });
      await c.expect(y, { shape: [2], dtype: 'int32', values: [2, 1] });
    });
  });
  s.kernel('prod', () => {
    s.each(NUMERIC, 'an empty reduction gives 1', async (c, dtype) => {
      const y = c.run('prod', [c.t([], [2, 0], dtype)], { axes: [1], keepdim: true });
      await c.expect(y, { shape: [2, 1], dtype, values: [1, 1] });
    });
  });
  for (const name of ['max', 'min'] as const) {
    s.kernel(name, () => {
      s.each(NUMERIC, 'throws over a dimension of size 0', async (c, dtype) => {
        await c.expectError(() => c.values(c.run(name, [c.t([], [0, 3], dtype)], { axes: [0], keepdim: false })), Error);
      });
      s.eachSpecial(FLOATS, 'NaN propagates; infinities are ordinary values', async (c, dtype) => {
        const y = c.run(name, [c.t([1, NaN, 3, -Infinity, Infinity, 2], [2, 3], dtype)], { axes: [1], keepdim: false });
        await c.expect(y, { shape: [2], dtype, values: [NaN, name === 'max' ? Infinity : -Infinity] });
      });
      s.each(['bool'], 'bool max is any, min is all', async (c) => {
        const y = c.run(name, [c.t([0, 1, 0, 0, 1, 1], [3, 2], 'bool')], { axes: [1], keepdim: false });
        await c.expect(y, { shape: [3], dtype: 'bool', values: name === 'max' ? [1, 0, 1] : [0, 0, 1] });
      });
    });
  }
  argReduceCases(s);
}

/** Reference argmax/argmin: first extremum along axis, NaN counting as the extremum. */
function argRef(vals: number[], shape: number[], axis: number, keepdim: boolean, isMax: boolean): { shape: number[]; values: number[] } {
  const outKeep = shape.map((d, i) => (i === axis ? 1 : d));
  const values: number[] = [];
  for (let o = 0; o < numel(outKeep); o++) {
    const idx = unravel(o, outKeep);
    let best = 0;
    let bestV = NaN;
    for (let k = 0; k < (shape[axis] as number); k++) {
      idx[axis] = k;
      const v = vals[ravel(idx, shape)] as number;
      if (k === 0) bestV = v;
      else if (Number.isNaN(bestV)) break;
      else if (Number.isNaN(v) || (isMax ? v > bestV : v < bestV)) {
        best = k;
        bestV = v;
      }
    }
    values.push(best);
  }
  return { shape: keepdim ? outKeep : shape.filter((_, i) => i !== axis), values };
}

function argReduceCases(s: Suite): void {
  for (const name of ['argmax', 'argmin'] as ArgReduceKernel[]) {
    const isMax = name === 'argmax';
    s.kernel(name, () => {
      for (const [shape, axis] of [[[3, 4], 0], [[3, 4], 1], [[2, 3, 4], 1], [[5], 0]] as [number[], number][]) {
        for (const keepdim of [false, true]) {
          s.each(ALL, `shape [${shape.join(', ')}] axis ${axis}${keepdim ? ' keepdim' : ''}, ties pick the first`, async (c, dtype) => {
            const n = numel(shape);
            const vals = ints(n, dtype === 'bool' ? 0 : -2, dtype === 'bool' ? 2 : 3, 13).map((v) => roundTo(dtype, v));
            const r = argRef(vals, shape, axis, keepdim, isMax);
            const y = c.run(name, [c.t(vals, shape, dtype)], { axis, keepdim });
            await c.expect(y, { shape: r.shape, dtype: 'int32', values: r.values });
          });
        }
      }
      s.each(FLOATS, 'hand-checked values', async (c, dtype) => {
        const x = c.t([3, 1, 3, 0, -1, 5, 5, -1], [2, 4], dtype);
        const y = c.run(name, [x], { axis: 1, keepdim: false });
        await c.expect(y, { shape: [2], dtype: 'int32', values: isMax ? [0, 1] : [3, 0] });
      });
      s.eachSpecial(FLOATS, 'the first NaN counts as the extremum', async (c, dtype) => {
        const y = c.run(name, [c.t([1, NaN, 7, NaN, -Infinity, Infinity], [6], dtype)], { axis: 0, keepdim: false });
        await c.expect(y, { shape: [], dtype: 'int32', values: [1] });
      });
      s.each(ALL, 'a 0-d input gives index 0', async (c, dtype) => {
        const y = c.run(name, [c.t([1], [], dtype)], { axis: 0, keepdim: false });
        await c.expect(y, { shape: [], dtype: 'int32', values: [0] });
      });
      s.each(FLOATS, 'throws over an axis of size 0', async (c, dtype) => {
        await c.expectError(() => c.values(c.run(name, [c.t([], [2, 0], dtype)], { axis: 1, keepdim: false })), Error);
      });
    });
  }
}
