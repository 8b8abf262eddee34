import type { CompareKernel } from '../../kernel-names.js';
import { roundTo } from '../harness.js';
import { broadcastMap, sixteenths } from '../reference.js';
import { ALL, FLOATS, type Suite } from '../suite.js';
import { BROADCAST_SHAPES } from './binary.js';

const INF = Infinity;

const REFS: Record<CompareKernel, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  logicalAnd: (a, b) => a !== 0 && b !== 0,
  logicalOr: (a, b) => a !== 0 || b !== 0,
};

/** Registers the comparison and logical kernel cases. */
export function compareCases(s: Suite): void {
  for (const [name, ref] of Object.entries(REFS) as [CompareKernel, (a: number, b: number) => boolean][]) {
    s.kernel(name, () => {
      for (const [sa, sb] of BROADCAST_SHAPES) {
        s.each(ALL, `broadcasts [${sa.join(', ')}] with [${sb.join(', ')}]`, async (c, dtype) => {
          const na = sa.reduce((p, d) => p * d, 1);
          const nb = sb.reduce((p, d) => p * d, 1);
          // few distinct values, so equal pairs occur; zeros exercise the logical kernels
          const pick = (n: number, seed: number): number[] =>
            sixteenths(n, seed).map((v) => roundTo(dtype, dtype === 'bool' ? (v > 0 ? 1 : 0) : Math.trunc(v) / 2));
          const av = pick(na, 5);
          const bv = pick(nb, 9);
          const r = broadcastMap([{ values: av, shape: sa }, { values: bv, shape: sb }], (a, b) => (ref(a, b) ? 1 : 0));
          const y = c.run(name, [c.t(av, sa, dtype), c.t(bv, sb, dtype)], {});
          await c.expect(y, { shape: r.shape, dtype: 'bool', values: r.values });
        });
      }
      s.each(ALL, 'all combinations of a small value set', async (c, dtype) => {
        const set = dtype === 'bool' ? [0, 1] : [-2, 0, 3];
        const a = set.flatMap((x) => set.map(() => x));
        const b = set.flatMap(() => set);
        const y = c.run(name, [c.t(a, [a.length], dtype), c.t(b, [b.length], dtype)], {});
        await c.expect(y, { shape: [a.length], dtype: 'bool', values: a.map((x, i) => (ref(x, b[i] as number) ? 1 : 0)) });
      });
      s.eachSpecial(FLOATS, 'NaN compares unequal and is truthy; infinities order', async (c, dtype) => {
        const a = [NaN, NaN, 1, INF, -INF, 0];
        const b = [NaN, 1, NaN, INF, INF, -0];
        const y = c.run(name, [c.t(a, [6], dtype), c.t(b, [6], dtype)], {});
        await c.expect(y, { shape: [6], dtype: 'bool', values: a.map((x, i) => (ref(x, b[i] as number) ? 1 : 0)) });
      });
    });
  }
}
