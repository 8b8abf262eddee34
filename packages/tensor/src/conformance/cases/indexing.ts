import type { DType } from '../../dtype.js';
import { roundTo } from '../harness.js';
import { ints, numel, ravel, unravel } from '../reference.js';
import { ALL, NUMERIC, type Suite } from '../suite.js';

function vals(n: number, dtype: DType, seed = 1): number[] {
  return ints(n, dtype === 'bool' ? 0 : -20, dtype === 'bool' ? 2 : 20, seed).map((v) => roundTo(dtype, v));
}

/** Naive torch.gather. */
function gatherRef(x: number[], xShape: number[], index: number[], iShape: number[], axis: number): number[] {
  return index.map((k, p) => {
    const idx = unravel(p, iShape);
    idx[axis] = k;
    return x[ravel(idx, xShape)] as number;
  });
}

/** Naive torch.scatter / scatter_add over a copy of x. */
function scatterRef(x: number[], xShape: number[], index: number[], iShape: number[], src: number[], sShape: number[], axis: number, add: boolean): number[] {
  const out = [...x];
  index.forEach((k, p) => {
    const idx = unravel(p, iShape);
    const v = src[ravel(idx, sShape)] as number;
    idx[axis] = k;
    const o = ravel(idx, xShape);
    out[o] = add ? (out[o] as number) + v : v;
  });
  return out;
}

/** Cases of gather, scatter, scatterAdd, indexSelect and indexAdd. */
export function indexingCases(s: Suite): void {
  const layouts: { x: number[]; index: number[]; axis: number }[] = [
    { x: [3, 4], index: [2, 4], axis: 0 },
    { x: [3, 4], index: [3, 6], axis: 1 },
    { x: [3, 4], index: [2, 2], axis: 1 },
    { x: [2, 3, 4], index: [2, 2, 4], axis: 1 },
    { x: [5], index: [3], axis: 0 },
    { x: [3, 4], index: [0, 4], axis: 0 },
  ];

  s.kernel('gather', () => {
    for (const L of layouts) {
      s.each(ALL, `x [${L.x.join(', ')}], index [${L.index.join(', ')}], axis ${L.axis}`, async (c, dtype) => {
        const xv = vals(numel(L.x), dtype);
        const iv = ints(numel(L.index), 0, L.x[L.axis] as number, 3);
        const y = c.run('gather', [c.t(xv, L.x, dtype), c.t(iv, L.index, 'int32')], { axis: L.axis });
        await c.expect(y, { shape: L.index, dtype, values: gatherRef(xv, L.x, iv, L.index, L.axis) }, 'exact');
      });
    }
    s.test('hand-checked (torch.gather docs)', async (c) => {
      const y = c.run('gather', [c.t([1, 2, 3, 4], [2, 2]), c.t([0, 0, 1, 0], [2, 2], 'int32')], { axis: 1 });
      await c.expect(y, { shape: [2, 2], dtype: 'float32', values: [1, 1, 4, 3] }, 'exact');
    });
    s.test('gather undoes scatter on a permutation', async (c) => {
      const perm = [3, 0, 4, 1, 2];
      const src = c.t([10, 20, 30, 40, 50], [5]);
      const index = c.t(perm, [5], 'int32');
      const scattered = c.run('scatter', [c.t([0, 0, 0, 0, 0], [5]), index, src], { axis: 0 });
      await c.expect(c.run('gather', [scattered, index], { axis: 0 }), { shape: [5], dtype: 'float32', values: [10, 20, 30, 40, 50] }, 'exact');
    });
    for (const bad of [3, -1]) {
      s.test(`index ${bad} out of range throws a RangeError naming it`, async (c) => {
        const x = c.t([1, 2, 3, 4, 5, 6], [3, 2]);
        const index = c.t([0, 1, bad, 2], [2, 2], 'int32');
        await c.expectError(() => c.values(c.run('gather', [x, index], { axis: 0 })), RangeError, [String(bad), '3']);
      });
    }
  });

  for (const name of ['scatter', 'scatterAdd'] as const) {
    const add = name === 'scatterAdd';
    s.kernel(name, () => {
      for (const L of layouts) {
        s.each(add ? NUMERIC : ALL, `x [${L.x.join(', ')}], index [${L.index.join(', ')}], axis ${L.axis}`, async (c, dtype) => {
          const xv = vals(numel(L.x), dtype, 5);
          // scatter: distinct targets along the axis (a permutation prefix) so the result is defined;
          // scatterAdd: random targets, duplicates accumulate
          const size = L.x[L.axis] as number;
          const iShape = add ? L.index : L.index.map((d, k) => (k === L.axis ? Math.min(d, size) : d));
          const iv = add
            ? ints(numel(iShape), 0, size, 9)
            : Array.from({ length: numel(iShape) }, (_, p) => {
                // (position along the axis + the other coordinates) mod size: distinct along each line
                const pos = unravel(p, iShape);
                return pos.reduce((a, b) => a + b, 0) % size;
              });
          const sShape = L.index.map((d) => d + 1);
          const sv = vals(numel(sShape), dtype, 11);
          const expected = scatterRef(xv, L.x, iv, iShape, sv, sShape, L.axis, add);
          const y = c.run(name, [c.t(xv, L.x, dtype), c.t(iv, iShape, 'int32'), c.t(sv, sShape, dtype)], { axis: L.axis });
          await c.expect(y, { shape: L.x, dtype, values: expected }, 'exact');
        });
      }
      s.test('hand-checked (torch docs, index smaller than src)', async (c) => {
        const src = c.t([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2, 5]);
        const x = c.t(new Array<number>(15).fill(0), [3, 5]);
        const y0 = c.run(name, [x, c.t([0, 1, 2, 0], [1, 4], 'int32'), src], { axis: 0 });
        await c.expect(y0, { shape: [3, 5], dtype: 'float32', values: [1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0] }, 'exact');
        const y1 = c.run(name, [x, c.t([0, 1, 2, 0, 1, 4], [2, 3], 'int32'), src], { axis: 1 });
        await c.expect(y1, { shape: [3, 5], dtype: 'float32', values: [1, 2, 3, 0, 0, 6, 7, 0, 0, 8, 0, 0, 0, 0, 0] }, 'exact');
      });
      if (add) {
        s.test('duplicate indices accumulate', async (c) => {
          const y = c.run('scatterAdd', [c.t([1, 1, 1, 1, 1], [5]), c.t([0, 1, 0, 4, 0], [5], 'int32'), c.t([1, 2, 3, 4, 5], [5])], { axis: 0 });
          await c.expect(y, { shape: [5], dtype: 'float32', values: [10, 3, 1, 1, 5] }, 'exact');
        });
      }
      s.test('an out-of-range index throws a RangeError naming it', async (c) => {
        const x = c.t([0, 0, 0, 0], [2, 2]);
        const index = c.t([0, 1, 2, 0], [2, 2], 'int32');
        await c.expectError(() => c.values(c.run(name, [x, index, c.t([1, 2, 3, 4], [2, 2])], { axis: 0 })), RangeError, ['2']);
      });
    });
  }

  s.kernel('indexSelect', () => {
    const cases: { x: number[]; axis: number; index: number[] }[] = [
      { x: [3, 4], axis: 0, index: [2, 0, 2] },
      { x: [3, 4], axis: 1, index: [3, 1] },
      { x: [2, 3, 4], axis: 1, index: [1, 1, 0, 2] },
      { x: [3, 4], axis: 1, index: [] },
      { x: [5], axis: 0, index: [4] },
    ];
    for (const k of cases) {
      s.each(ALL, `x [${k.x.join(', ')}] axis ${k.axis} index [${k.index.join(', ')}]`, async (c, dtype) => {
        const xv = vals(numel(k.x), dtype, 2);
        const outShape = k.x.map((d, i) => (i === k.axis ? k.index.length : d));
        const expected = Array.from({ length: numel(outShape) }, (_, o) => {
          const oi = unravel(o, outShape);
          oi[k.axis] = k.index[oi[k.axis] as number] as number;
          return xv[ravel(oi, k.x)] as number;
        });
        const y = c.run('indexSelect', [c.t(xv, k.x, dtype), c.t(k.index, [k.index.length], 'int32')], { axis: k.axis });
        await c.expect(y, { shape: outShape, dtype, values: expected }, 'exact');
      });
    }
    for (const bad of [4, -1]) {
      s.test(`index ${bad} out of range throws a RangeError naming it`, async (c) => {
        const y = (): Promise<number[]> => c.values(c.run('indexSelect', [c.t([1, 2, 3, 4], [4]), c.t([0, bad], [2], 'int32')], { axis: 0 }));
        await c.expectError(y, RangeError, [String(bad), '4']);
      });
    }
  });

  s.kernel('indexAdd', () => {
    const cases: { x: number[]; axis: number; index: number[] }[] = [
      { x: [5, 3], axis: 0, index: [0, 4, 2, 0] },
      { x: [2, 4], axis: 1, index: [3, 3, 1] },
      { x: [2, 3, 2], axis: 1, index: [2, 0] },
      { x: [3, 2], axis: 0, index: [] },
    ];
    for (const k of cases) {
      s.each(NUMERIC, `x [${k.x.join(', ')}] axis ${k.axis} index [${k.index.join(', ')}]`, async (c, dtype) => {
        const xv = vals(numel(k.x), dtype, 4);
        const sShape = k.x.map((d, i) => (i === k.axis ? k.index.length : d));
        const sv = vals(numel(sShape), dtype, 6);
        const expected = [...xv];
        for (let p = 0; p < sv.length; p++) {
          const pi = unravel(p, sShape);
          pi[k.axis] = k.index[pi[k.axis] as number] as number;
          const o = ravel(pi, k.x);
          expected[o] = (expected[o] as number) + (sv[p] as number);
        }
        const y = c.run('indexAdd', [c.t(xv, k.x, dtype), c.t(k.index, [k.index.length], 'int32'), c.t(sv, sShape, dtype)], { axis: k.axis });
        await c.expect(y, { shape: k.x, dtype, values: expected }, 'exact');
      });
    }
    s.test('adding ones counts how often each index occurs', async (c) => {
      const y = c.run('indexAdd', [c.t([0, 0, 0, 0], [4]), c.t([1, 3, 1, 1], [4], 'int32'), c.t([1, 1, 1, 1], [4])], { axis: 0 });
      await c.expect(y, { shape: [4], dtype: 'float32', values: [0, 3, 0, 1] }, 'exact');
    });
    s.test('an out-of-range index throws a RangeError naming it', async (c) => {
      const y = (): Promise<number[]> =>
        c.values(c.run('indexAdd', [c.t([0, 0, 0], [3]), c.t([0, 5], [2], 'int32'), c.t([1, 1], [2])], { axis: 0 }));
      await c.expectError(y, RangeError, ['5', '3']);
    });
  });
}
