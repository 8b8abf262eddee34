import { DTYPES, type DType } from '../../dtype.js';
import { assert, roundTo } from '../harness.js';
import { broadcastMap } from '../reference.js';
import { ALL, FLOATS, NUMERIC, type Suite } from '../suite.js';

const INF = Infinity;

/** Cases of where, clamp, cast, copy, fill and reshape. */
export function elementwiseCases(s: Suite): void {
  s.kernel('where', () => {
    const shapes: [number[], number[], number[]][] = [
      [[2, 3], [2, 3], [2, 3]],
      [[2, 3], [2, 3], []],
      [[3], [2, 1], [1, 3]],
      [[], [2], [2]],
      [[0, 2], [2], []],
    ];
    for (const [sc, sa, sb] of shapes) {
      s.each(ALL, `cond [${sc.join(', ')}], a [${sa.join(', ')}], b [${sb.join(', ')}]`, async (c, dtype) => {
        const n = (sh: number[]): number => sh.reduce((p, d) => p * d, 1);
        const cond = Array.from({ length: n(sc) }, (_, i) => (i % 3 === 1 ? 0 : 1));
        const av = Array.from({ length: n(sa) }, (_, i) => roundTo(dtype, i + 1));
        const bv = Array.from({ length: n(sb) }, (_, i) => roundTo(dtype, dtype === 'bool' ? 0 : -(i + 1) * 10));
        const r = broadcastMap(
          [{ values: cond, shape: sc }, { values: av, shape: sa }, { values: bv, shape: sb }],
          (k, a, b) => (k ? a : b),
        );
        const y = c.run('where', [c.t(cond, sc, 'bool'), c.t(av, sa, dtype), c.t(bv, sb, dtype)], {});
        await c.expect(y, { shape: r.shape, dtype, values: r.values }, 'exact');
      });
    }
    s.eachSpecial(FLOATS, 'passes NaN and infinities through unchanged', async (c, dtype) => {
      const y = c.run('where', [c.t([1, 0, 1], [3], 'bool'), c.t([NaN, 1, INF], [3], dtype), c.t([2, -INF, 3], [3], dtype)], {});
      await c.expect(y, { shape: [3], dtype, values: [NaN, -INF, INF] });
    });
  });

  s.kernel('clamp', () => {
    const xs = [-5, -1.5, 0, 0.5, 2, 7];
    const cases: [string, number | null, number | null, number[]][] = [
      ['min and max', -1, 2, [-1, -1, 0, 0.5, 2, 2]],
      ['min only', 0, null, [0, 0, 0, 0.5, 2, 7]],
      ['max only', null, 0.5, [-5, -1.5, 0, 0.5, 0.5, 0.5]],
      ['no bounds', null, null, xs],
      ['min greater than max gives max', 3, 1, [1, 1, 1, 1, 1, 1]],
    ];
    for (const [title, min, max, out] of cases) {
      s.each(NUMERIC, title, async (c, dtype) => {
        const ok = (v: number | null): boolean => v === null || Number.isInteger(v);
        if (dtype === 'int32' && !(ok(min) && ok(max))) return;
        const x = xs.map((v) => roundTo(dtype, v));
        const y = c.run('clamp', [c.t(x, [2, 3], dtype)], { min, max });
        const expected = dtype === 'int32' ? x.map((v) => Math.min(Math.max(v, min ?? -INF), max ?? INF)) : out;
        await c.expect(y, { shape: [2, 3], dtype, values: expected }, 'exact');
      });
    }
    s.eachSpecial(FLOATS, 'NaN stays NaN, infinities are clamped', async (c, dtype) => {
      const y = c.run('clamp', [c.t([NaN, INF, -INF, 1], [4], dtype)], { min: -2, max: 2 });
      await c.expect(y, { shape: [4], dtype, values: [NaN, 2, -2, 1] });
    });
    s.each(FLOATS, '0-d and empty inputs', async (c, dtype) => {
      await c.expect(c.run('clamp', [c.t([5], [], dtype)], { min: 0, max: 1 }), { shape: [], dtype, values: [1] });
      await c.expect(c.run('clamp', [c.t([], [0, 2], dtype)], { min: 0, max: 1 }), { shape: [0, 2], dtype, values: [] });
    });
  });

  s.kernel('cast', () => {
    const src: Record<DType, number[]> = {
      float32: [-2.75, -1, -0.5, 0, 0.5, 1.5, 3, 1e6],
      float64: [-2.75, -1, -0.5, 0, 0.5, 1.5, 3, 1e6],
      int32: [-3, -1, 0, 1, 7, 100, 2147483647, -2147483648],
      bool: [0, 1, 1, 0, 1, 0, 0, 1],
    };
    const expected = (from: DType, to: DType, v: number): number => {
      if (to === 'bool') return v !== 0 ? 1 : 0;
      if (to === 'int32') return Math.trunc(v);
      return to === 'float32' ? Math.fround(v) : v;
    };
    for (const from of DTYPES) {
      s.each(ALL, `from ${from}`, async (c, to) => {
        if (!s.has(from)) return;
        const vals = src[from];
        const y = c.run('cast', [c.t(vals, [2, 4], from)], { dtype: to });
        await c.expect(y, { shape: [2, 4], dtype: to, values: vals.map((v) => expected(from, to, v)) }, 'exact');
      });
    }
    s.each(['float64'], 'float64 to float32 rounds to nearest', async (c) => {
      if (!s.has('float32')) return;
      const vals = [0.1, 1 / 3, 16777217, -2.5e-39];
      const y = c.run('cast', [c.t(vals, [4], 'float64')], { dtype: 'float32' });
      await c.expect(y, { shape: [4], dtype: 'float32', values: vals.map(Math.fround) }, 'exact');
    });
    s.each(['int32'], 'int32 to float32 rounds to nearest', async (c) => {
      if (!s.has('float32')) return;
      const y = c.run('cast', [c.t([16777217, 16777219, -2147483647], [3], 'int32')], { dtype: 'float32' });
      await c.expect(y, { shape: [3], dtype: 'float32', values: [16777216, 16777220, -2147483648] }, 'exact');
    });
    s.eachSpecial(FLOATS, 'NaN and infinities are truthy', async (c, dtype) => {
      const y = c.run('cast', [c.t([NaN, INF, -INF, 0], [4], dtype)], { dtype: 'bool' });
      await c.expect(y, { shape: [4], dtype: 'bool', values: [1, 1, 1, 0] });
    });
    s.each(FLOATS, '0-d and empty inputs', async (c, dtype) => {
      await c.expect(c.run('cast', [c.t([2.5], [], dtype)], { dtype: s.has('int32') ? 'int32' : dtype }), {
        shape: [],
        dtype: s.has('int32') ? 'int32' : dtype,
        values: [s.has('int32') ? 2 : 2.5],
      });
      await c.expect(c.run('cast', [c.t([], [0], dtype)], { dtype: 'bool' }), { shape: [0], dtype: 'bool', values: [] });
    });
  });

  s.kernel('copy', () => {
    s.each(ALL, 'copies into a new buffer that outlives the input', async (c, dtype) => {
      const vals = [1, 0, 3, 0, 5, 6].map((v) => roundTo(dtype, v));
      const x = c.t(vals, [3, 2], dtype);
      const y = c.run('copy', [x], {});
      assert(y.dataId !== x.dataId, 'copy returned its input buffer');
      x.dispose();
      await c.expect(y, { shape: [3, 2], dtype, values: vals }, 'exact');
      await c.expect(c.run('copy', [c.t([], [0, 2], dtype)], {}), { shape: [0, 2], dtype, values: [] });
      await c.expect(c.run('copy', [c.t([1], [], dtype)], {}), { shape: [], dtype, values: [1] });
    });
  });

  s.kernel('fill', () => {
    const values: Record<DType, [number, number][]> = {
      float32: [[0.1, Math.fround(0.1)], [-3, -3]],
      float64: [[0.1, 0.1], [-3, -3]],
      int32: [[3.7, 3], [-3.7, -3], [7, 7]],
      bool: [[2, 1], [0, 0], [-0.5, 1]],
    };
    for (const shape of [[], [2, 3], [0], [2, 0, 3]]) {
      s.each(ALL, `shape [${shape.join(', ')}]`, async (c, dtype) => {
        for (const [value, stored] of values[dtype]) {
          const y = c.run('fill', [], { shape, dtype, value });
          const n = shape.reduce((p, d) => p * d, 1);
          await c.expect(y, { shape, dtype, values: new Array<number>(n).fill(stored) }, 'exact', `fill(${value})`);
        }
      });
    }
  });

  s.kernel('reshape', () => {
    const pairs: [number[], number[]][] = [
      [[2, 3], [3, 2]],
      [[6], [1, 6, 1]],
      [[], [1]],
      [[1, 1], []],
      [[0, 3], [3, 0]],
    ];
    for (const [from, to] of pairs) {
      s.each(ALL, `[${from.join(', ')}] to [${to.join(', ')}] keeps the values`, async (c, dtype) => {
        const n = from.reduce((p, d) => p * d, 1);
        const vals = Array.from({ length: n }, (_, i) => roundTo(dtype, i % 2 === 0 ? i + 1 : 0));
        const x = c.t(vals, from, dtype);
        const y = c.run('reshape', [x], { shape: to });
        x.dispose(); // the reshaped tensor must keep its (possibly shared) buffer alive
        await c.expect(y, { shape: to, dtype, values: vals }, 'exact');
      });
    }
    s.test('a size mismatch throws', async (c) => {
      await c.expectError(() => c.run('reshape', [c.t([1, 2, 3, 4, 5, 6], [2, 3])], { shape: [4, 2] }), Error);
    });
  });
}
