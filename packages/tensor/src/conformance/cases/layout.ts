import { roundTo } from '../harness.js';
import { numel, ravel, unravel } from '../reference.js';
import { ALL, FLOATS, type Suite } from '../suite.js';

/** Distinct values 1, 2, 3, ... (0/1 alternating for bool) of a dtype. */
function iota(n: number, dtype: Parameters<typeof roundTo>[0]): number[] {
  return Array.from({ length: n }, (_, i) => roundTo(dtype, dtype === 'bool' ? i % 2 : i + 1));
}

/** Cases of transpose, expand, slice, sliceScatter and concat. */
export function layoutCases(s: Suite): void {
  s.kernel('transpose', () => {
    const cases: [number[], number[]][] = [
      [[2, 3], [1, 0]],
      [[2, 3, 4], [2, 0, 1]],
      [[2, 3, 4], [1, 2, 0]],
      [[2, 3, 4], [0, 1, 2]],
      [[2, 1, 3, 2], [3, 1, 0, 2]],
      [[], []],
      [[0, 3], [1, 0]],
    ];
    for (const [shape, perm] of cases) {
      s.each(ALL, `[${shape.join(', ')}] by [${perm.join(', ')}]`, async (c, dtype) => {
        const vals = iota(numel(shape), dtype);
        const outShape = perm.map((p) => shape[p] as number);
        const expected = Array.from({ length: numel(outShape) }, (_, o) => {
          const oi = unravel(o, outShape);
          const ii = new Array<number>(shape.length);
          perm.forEach((p, d) => (ii[p] = oi[d] as number));
          return vals[ravel(ii, shape)] as number;
        });
        const y = c.run('transpose', [c.t(vals, shape, dtype)], { perm });
        await c.expect(y, { shape: outShape, dtype, values: expected }, 'exact');
      });
    }
    s.test('hand-checked 2x3 transpose', async (c) => {
      const y = c.run('transpose', [c.t([1, 2, 3, 4, 5, 6], [2, 3])], { perm: [1, 0] });
      await c.expect(y, { shape: [3, 2], dtype: 'float32', values: [1, 4, 2, 5, 3, 6] }, 'exact');
    });
  });

  s.kernel('expand', () => {
    const cases: [number[], number[]][] = [
      [[3], [2, 3]],
      [[2, 1], [2, 4]],
      [[], [2, 2]],
      [[3, 1], [2, 3, 4]],
      [[1, 1], [1, 1]],
      [[1], [0]],
      [[2, 1, 1], [2, 3, 2]],
    ];
    for (const [from, to] of cases) {
      s.each(ALL, `[${from.join(', ')}] to [${to.join(', ')}]`, async (c, dtype) => {
        const vals = iota(numel(from), dtype);
        const lead = to.length - from.length;
        const expected = Array.from({ length: numel(to) }, (_, o) => {
          const oi = unravel(o, to);
          return vals[ravel(from.map((d, k) => (d === 1 ? 0 : (oi[lead + k] as number))), from)] as number;
        });
        const y = c.run('expand', [c.t(vals, from, dtype)], { shape: to });
        await c.expect(y, { shape: to, dtype, values: expected }, 'exact');
      });
    }
    s.test('a non-1 dim that differs throws', async (c) => {
      await c.expectError(() => c.run('expand', [c.t([1, 2, 3], [3])], { shape: [2, 4] }), Error);
    });
  });

  const sliceCases: [number[], number[], number[], number[]][] = [
    [[5], [1], [4], [1]],
    [[7], [0], [7], [3]],
    [[4, 5], [1, 0], [3, 5], [1, 2]],
    [[3, 4, 5], [0, 1, 2], [3, 4, 5], [2, 2, 2]],
    [[4, 5], [2, 2], [2, 5], [1, 1]],
    [[], [], [], []],
  ];
  const regionIndices = (shape: number[], begin: number[], end: number[], step: number[]): { shape: number[]; flat: number[] } => {
    const rshape = shape.map((_, d) => Math.ceil(((end[d] as number) - (begin[d] as number)) / (step[d] as number)));
    const flat = Array.from({ length: numel(rshape) }, (_, o) =>
      ravel(unravel(o, rshape).map((v, d) => (begin[d] as number) + v * (step[d] as number)), shape),
    );
    return { shape: rshape, flat };
  };

  s.kernel('slice', () => {
    for (const [shape, begin, end, step] of sliceCases) {
      s.each(ALL, `[${shape.join(', ')}] begin [${begin.join(', ')}] end [${end.join(', ')}] step [${step.join(', ')}]`, async (c, dtype) => {
        const vals = iota(numel(shape), dtype);
        const r = regionIndices(shape, begin, end, step);
        const y = c.run('slice', [c.t(vals, shape, dtype)], { begin, end, step });
        await c.expect(y, { shape: r.shape, dtype, values: r.flat.map((i) => vals[i] as number) }, 'exact');
      });
    }
    s.test('hand-checked strided slice', async (c) => {
      const y = c.run('slice', [c.t([0, 1, 2, 3, 4, 5, 6, 7], [8])], { begin: [1], end: [8], step: [3] });
      await c.expect(y, { shape: [3], dtype: 'float32', values: [1, 4, 7] }, 'exact');
    });
  });

  s.kernel('sliceScatter', () => {
    for (const [shape, begin, end, step] of sliceCases) {
      s.each(ALL, `[${shape.join(', ')}] begin [${begin.join(', ')}] end [${end.join(', ')}] step [${step.join(', ')}]`, async (c, dtype) => {
        const base = iota(numel(shape), dtype);
        const r = regionIndices(shape, begin, end, step);
        const src = r.flat.map((_, i) => roundTo(dtype, dtype === 'bool' ? 1 : -(i + 1)));
        const expected = [...base];
        r.flat.forEach((at, i) => (expected[at] = src[i] as number));
        const y = c.run('sliceScatter', [c.t(base, shape, dtype), c.t(src, r.shape, dtype)], { begin, end, step });
        await c.expect(y, { shape, dtype, values: expected }, 'exact');
      });
    }
    s.test('slice of sliceScatter returns src; base is unchanged', async (c) => {
      const base = c.t([1, 2, 3, 4, 5, 6], [2, 3]);
      const src = c.t([9, 8], [2, 1]);
      const attrs = { begin: [0, 1], end: [2, 2], step: [1, 1] };
      const y = c.run('sliceScatter', [base, src], attrs);
      await c.expect(y, { shape: [2, 3], dtype: 'float32', values: [1, 9, 3, 4, 8, 6] }, 'exact');
      await c.expect(c.run('slice', [y], attrs), { shape: [2, 1], dtype: 'float32', values: [9, 8] }, 'exact');
      await c.expect(base, { shape: [2, 3], dtype: 'float32', values: [1, 2, 3, 4, 5, 6] }, 'exact', 'base');
    });
  });

  s.kernel('concat', () => {
    const cases: [number[][], number][] = [
      [[[2, 3], [4, 3]], 0],
      [[[2, 3], [2, 1], [2, 2]], 1],
      [[[2, 0], [2, 3]], 1],
      [[[0, 3], [0, 3]], 0],
      [[[2, 2, 2], [2, 1, 2]], 1],
      [[[3]], 0],
    ];
    for (const [shapes, axis] of cases) {
      s.each(ALL, `${shapes.map((sh) => `[${sh.join(', ')}]`).join(' + ')} on axis ${axis}`, async (c, dtype) => {
        let next = 0;
        const parts = shapes.map((sh) => Array.from({ length: numel(sh) }, () => roundTo(dtype, dtype === 'bool' ? next++ % 3 === 0 ? 1 : 0 : ++next)));
        const outShape = (shapes[0] as number[]).map((d, k) => (k === axis ? shapes.reduce((p, sh) => p + (sh[axis] as number), 0) : d));
        const expected = Array.from({ length: numel(outShape) }, (_, o) => {
          const oi = unravel(o, outShape);
          let pos = oi[axis] as number;
          let which = 0;
          while (pos >= ((shapes[which] as number[])[axis] as number)) pos -= (shapes[which++] as number[])[axis] as number;
          const sh = shapes[which] as number[];
          return (parts[which] as number[])[ravel(oi.map((v, d) => (d === axis ? pos : v)), sh)] as number;
        });
        const y = c.run('concat', shapes.map((sh, i) => c.t(parts[i] as number[], sh, dtype)), { axis });
        await c.expect(y, { shape: outShape, dtype, values: expected }, 'exact');
      });
    }
    s.each(FLOATS, 'mismatched non-axis dims throw', async (c, dtype) => {
      await c.expectError(() => c.run('concat', [c.t([1, 2, 3, 4], [2, 2], dtype), c.t([1, 2, 3], [1, 3], dtype)], { axis: 0 }), Error);
    });
  });
}
