import type { DType } from '../../dtype.js';
import type { BinaryKernel } from '../../kernel-names.js';
import { roundTo } from '../harness.js';
import { broadcastMap, sixteenths } from '../reference.js';
import { FLOATS, type Suite } from '../suite.js';

const INF = Infinity;

/** Shape pairs exercising broadcasting, 0-d and empty tensors. */
export const BROADCAST_SHAPES: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[2, 1], [1, 3]],
  [[4, 1, 3], [2, 1]],
  [[], [2, 2]],
  [[2, 2], []],
  [[], []],
  [[0, 3], [3]],
  [[2, 0], [2, 1]],
];

interface BinaryCase {
  dtypes: readonly DType[];
  ref: (a: number, b: number) => number;
  /** Maps raw sample values to valid operands (a, b). */
  a?: (v: number) => number;
  b?: (v: number) => number;
  exact?: boolean;
}

const nonZero = (v: number): number => (v === 0 ? 0.5 : v);
const CASES: Record<BinaryKernel, BinaryCase> = {
  add: { dtypes: ['float32', 'float64', 'int32'], ref: (a, b) => a + b, exact: true },
  sub: { dtypes: ['float32', 'float64', 'int32'], ref: (a, b) => a - b, exact: true },
  mul: { dtypes: ['float32', 'float64', 'int32'], ref: (a, b) => a * b, exact: true },
  div: { dtypes: FLOATS, ref: (a, b) => a / b, b: nonZero },
  pow: { dtypes: FLOATS, ref: Math.pow, a: (v) => Math.abs(v) + 0.25, b: (v) => v / 2 },
  maximum: { dtypes: ['float32', 'float64', 'int32'], ref: Math.max, exact: true },
  minimum: { dtypes: ['float32', 'float64', 'int32'], ref: Math.min, exact: true },
  atan2: { dtypes: FLOATS, ref: Math.atan2 },
};

/** Sample operand values of a dtype (int32 gets integers). */
function samples(n: number, seed: number, dtype: DType): number[] {
  const v = sixteenths(n, seed);
  return dtype === 'int32' ? v.map((x) => Math.round(x * 4)) : v;
}

/** Registers the arithmetic binary kernel cases. */
export function binaryCases(s: Suite): void {
  for (const [name, bc] of Object.entries(CASES) as [BinaryKernel, BinaryCase][]) {
    s.kernel(name, () => {
      for (const [sa, sb] of BROADCAST_SHAPES) {
        s.each(bc.dtypes, `broadcasts [${sa.join(', ')}] with [${sb.join(', ')}]`, async (c, dtype) => {
          const na = sa.reduce((p, d) => p * d, 1);
          const nb = sb.reduce((p, d) => p * d, 1);
          const av = samples(na, 3, dtype).map((v) => roundTo(dtype, bc.a ? bc.a(v) : v));
          const bv = samples(nb, 11, dtype).map((v) => roundTo(dtype, bc.b ? bc.b(v) : v));
          const ref = broadcastMap([{ values: av, shape: sa }, { values: bv, shape: sb }], bc.ref);
          const y = c.run(name, [c.t(av, sa, dtype), c.t(bv, sb, dtype)], {});
          await c.expect(y, { shape: ref.shape, dtype, values: ref.values }, bc.exact ? 'exact' : undefined);
        });
      }
      s.test('incompatible shapes throw', async (c) => {
        const dtype = s.dtypes(bc.dtypes)[0] ?? 'float32';
        await c.expectError(() => c.run(name, [c.t([1, 2, 3, 4, 5, 6], [2, 3], dtype), c.t([1, 2, 3, 4], [4], dtype)], {}), Error);
      });
    });
  }
  handBinaryCases(s);
}

function handBinaryCases(s: Suite): void {
  const hand = (name: BinaryKernel, dtypes: readonly DType[], title: string, a: number[], b: number[], out: number[], special = false): void => {
    s.kernel(name, () => {
      (special ? s.eachSpecial.bind(s) : s.each.bind(s))(dtypes, title, async (c, dtype) => {
        const y = c.run(name, [c.t(a, [a.length], dtype), c.t(b, [b.length], dtype)], {});
        await c.expect(y, { shape: [a.length], dtype, values: out }, dtype === 'float64' ? { rtol: 1e-15, atol: 1e-15 } : undefined);
      });
    });
  };
  hand('add', ['int32'], 'int32 overflow wraps', [2147483647, -2147483648], [1, -1], [-2147483648, 2147483647]);
  hand('sub', ['int32'], 'int32 overflow wraps', [-2147483648], [1], [2147483647]);
  hand('mul', ['int32'], 'int32 products wrap exactly', [65536, 46341, -3, 2147483647, -2147483648], [65536, 46341, 7, 2147483647, 3], [0, -2147479015, -21, 1, -2147483648]);
  hand('add', ['bool'], 'bool add is logical or', [0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 1, 1]);
  hand('mul', ['bool'], 'bool mul is logical and', [0, 0, 1, 1], [0, 1, 0, 1], [0, 0, 0, 1]);
  hand('maximum', ['bool'], 'bool maximum is logical or', [0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 1, 1]);
  hand('minimum', ['bool'], 'bool minimum is logical and', [0, 0, 1, 1], [0, 1, 0, 1], [0, 0, 0, 1]);
  hand('pow', ['int32'], 'int32 powers stay integers', [2, 3, -2, 5, 0, 7], [10, 4, 3, 0, 0, 1], [1024, 81, -8, 1, 1, 7]);
  hand('pow', FLOATS, 'negative bases with integer exponents, fractional exponents', [-2, -1.5, 4, 9, 2], [3, 2, 0.5, -0.5, -2], [-8, 2.25, 2, 1 / 3, 0.25]);
  hand('div', FLOATS, 'true division', [7, -7, 1, 0.5], [2, 2, 3, -0.25], [3.5, -3.5, 1 / 3, -2]);
  hand('atan2', FLOATS, 'four quadrants', [1, 1, -1, -1, 0, 1], [1, -1, -1, 1, 1, 0], [Math.PI / 4, (3 * Math.PI) / 4, (-3 * Math.PI) / 4, -Math.PI / 4, 0, Math.PI / 2]);
  hand('div', FLOATS, 'division by zero', [1, -1, 0], [0, 0, 0], [INF, -INF, NaN], true);
  hand('pow', FLOATS, 'pow edge cases', [0, -8, 2, 0.5], [-1, 1 / 3, INF, -INF], [INF, NaN, INF, INF], true);
  hand('maximum', FLOATS, 'NaN propagates', [NaN, 1, NaN, -INF], [1, NaN, NaN, 3], [NaN, NaN, NaN, 3], true);
  hand('minimum', FLOATS, 'NaN propagates', [NaN, 1, NaN, INF], [1, NaN, NaN, 3], [NaN, NaN, NaN, 3], true);
  hand('add', FLOATS, 'infinities and NaN', [INF, INF, NaN, 1], [-INF, 1, 1, INF], [NaN, INF, NaN, INF], true);
  hand('mul', FLOATS, 'zero times infinity is NaN', [0, -2, NaN], [INF, INF, 0], [NaN, -INF, NaN], true);
}
