import type { DType } from '../../dtype.js';
import { roundTo } from '../harness.js';
import { ints, matmulRef, sixteenths } from '../reference.js';
import { FLOATS, NUMERIC, type Suite } from '../suite.js';

type Dims = { ba: number; bb: number; m: number; k: number; n: number };

const SIZES: Dims[] = [
  { ba: 2, bb: 2, m: 3, k: 4, n: 5 },
  { ba: 1, bb: 3, m: 2, k: 3, n: 4 },
  { ba: 3, bb: 1, m: 4, k: 2, n: 3 },
  { ba: 1, bb: 1, m: 1, k: 1, n: 1 },
  { ba: 1, bb: 1, m: 17, k: 33, n: 19 },
  { ba: 2, bb: 2, m: 3, k: 0, n: 2 },
  { ba: 1, bb: 2, m: 0, k: 3, n: 2 },
  { ba: 0, bb: 1, m: 2, k: 2, n: 2 },
];

function operand(count: number, seed: number, dtype: DType): number[] {
  return (dtype === 'int32' ? ints(count, -5, 6, seed) : sixteenths(count, seed)).map((v) => roundTo(dtype, v));
}

/** Registers the matmul cases: every transpose flag combination, batch broadcasting, empty dims. */
export function matmulCases(s: Suite): void {
  s.kernel('matmul', () => {
    for (const d of SIZES) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const title = `[${d.ba}, ${d.m}, ${d.k}] @ [${d.bb}, ${d.k}, ${d.n}] transposeA=${transposeA} transposeB=${transposeB}`;
          s.each(NUMERIC, title, async (c, dtype) => {
            const aShape: [number, number, number] = transposeA ? [d.ba, d.k, d.m] : [d.ba, d.m, d.k];
            const bShape: [number, number, number] = transposeB ? [d.bb, d.n, d.k] : [d.bb, d.k, d.n];
            const av = operand(d.ba * d.m * d.k, 17, dtype);
            const bv = operand(d.bb * d.k * d.n, 23, dtype);
            const r = matmulRef(av, aShape, bv, bShape, transposeA, transposeB);
            const y = c.run('matmul', [c.t(av, aShape, dtype), c.t(bv, bShape, dtype)], { transposeA, transposeB });
            await c.expect(y, { shape: r.shape, dtype, values: r.values }, dtype === 'float32' ? { rtol: 1e-5, atol: 1e-4 } : undefined);
          });
        }
      }
    }
    s.each(FLOATS, 'hand-checked 2x2 product', async (c, dtype) => {
      const a = c.t([1, 2, 3, 4], [1, 2, 2], dtype);
      const b = c.t([5, 6, 7, 8], [1, 2, 2], dtype);
      await c.expect(c.run('matmul', [a, b], { transposeA: false, transposeB: false }), { shape: [1, 2, 2], dtype, values: [19, 22, 43, 50] }, 'exact');
      await c.expect(c.run('matmul', [a, b], { transposeA: true, transposeB: false }), { shape: [1, 2, 2], dtype, values: [26, 30, 38, 44] }, 'exact');
      await c.expect(c.run('matmul', [a, b], { transposeA: false, transposeB: true }), { shape: [1, 2, 2], dtype, values: [17, 23, 39, 53] }, 'exact');
    });
    s.eachSpecial(FLOATS, 'zeros times infinity give NaN (no zero skipping)', async (c, dtype) => {
      const a = c.t([0, 1], [1, 1, 2], dtype);
      const b = c.t([Infinity, 1], [1, 2, 1], dtype);
      await c.expect(c.run('matmul', [a, b], { transposeA: false, transposeB: false }), { shape: [1, 1, 1], dtype, values: [NaN] });
    });
    s.each(FLOATS, 'mismatched inner or batch dims throw', async (c, dtype) => {
      const a = c.t(new Array<number>(12).fill(1), [2, 2, 3], dtype);
      const b = c.t(new Array<number>(12).fill(1), [2, 2, 3], dtype);
      await c.expectError(() => c.run('matmul', [a, b], { transposeA: false, transposeB: false }), Error);
      const b3 = c.t(new Array<number>(18).fill(1), [3, 3, 2], dtype);
      await c.expectError(() => c.run('matmul', [a, b3], { transposeA: false, transposeB: false }), Error);
    });
  });
}
