import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

const dimArb = fc.integer({ min: 1, max: 3 });
const shapeArb = fc.array(dimArb, { minLength: 0, maxLength: 4 });

/** Derives a shape that broadcasts with `s`: drop leading dims and set some dims to 1. */
function compatible(s: number[], drop: number, ones: boolean[]): number[] {
  return s.slice(Math.min(drop, s.length)).map((d, i) => (ones[i] ? 1 : d));
}

/** Naive broadcast read of a flat row-major array at an output multi-index. */
function at(values: ArrayLike<number>, shape: number[], outIdx: number[]): number {
  let off = 0;
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = outIdx[outIdx.length - shape.length + i] as number;
    off += (shape[i] === 1 ? 0 : o) * stride;
    stride *= shape[i] as number;
  }
  return values[off] as number;
}

describe('broadcasting (property tests)', () => {
  it('add/mul agree with a naive broadcast loop, and broadcastShapes is symmetric', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(4), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), fc.boolean(), (s, drop, ones, swap) => {
        const s2 = compatible(s, drop, ones);
        const [sa, sb] = swap ? [s2, s] : [s, s2];
        const out = T.broadcastShapes(sa, sb);
        expect(T.broadcastShapes(sb, sa)).toEqual(out);
        const na = sa.reduce((x, y) => x * y, 1);
        const nb = sb.reduce((x, y) => x * y, 1);
        const va = Float32Array.from({ length: na }, (_, i) => i + 1);
        const vb = Float32Array.from({ length: nb }, (_, i) => (i + 1) * 10);
        const sum = T.tensor(va, { shape: sa }).add(T.tensor(vb, { shape: sb }));
        const prod = T.tensor(va, { shape: sa }).mul(T.tensor(vb, { shape: sb }));
        expect(sum.shape).toEqual(out);
        const got = sum.dataSync();
        const gotP = prod.dataSync();
        const n = out.reduce((x, y) => x * y, 1);
        for (let f = 0; f < n; f++) {
          const idx: number[] = [];
          let r = f;
          for (let i = out.length - 1; i >= 0; i--) {
            idx.unshift(r % (out[i] as number));
            r = Math.floor(r / (out[i] as number));
          }
          expect(got[f]).toBe(at(va, sa, idx) + at(vb, sb, idx));
          expect(gotP[f]).toBe(Math.fround(at(va, sa, idx) * at(vb, sb, idx)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('incompatible shapes always throw a ShapeError naming both shapes', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(3), fc.integer({ min: 2, max: 4 }), (s, pos, extra) => {
        const a = [...s, 2];
        const b = [...s.map(() => 1), 2 + extra]; // last dims 2 vs 4..6: never broadcast
        void pos;
        expect(() => T.broadcastShapes(a, b, 'add')).toThrow(T.ShapeError);
        expect(() => T.zeros(a).add(T.zeros(b))).toThrow(`[${a.join(', ')}] and [${b.join(', ')}]`);
      }),
      { numRuns: 100 },
    );
  });

  it('reshape round-trips any shape with the same element count', () => {
    fc.assert(
      fc.property(shapeArb, (s) => {
        const n = s.reduce((x, y) => x * y, 1);
        const t = T.arange(n, undefined, 1, { dtype: 'float32' });
        const r = t.reshape(s).reshape(-1);
        expect(r.tolist()).toEqual(t.tolist());
      }),
    );
  });

  it('permute then inverse permute is the identity', () => {
    fc.assert(
      fc.property(fc.array(dimArb, { minLength: 1, maxLength: 4 }), fc.nat(), (s, seed) => {
        const perm = s.map((_, i) => i);
        for (let i = perm.length - 1; i > 0; i--) {
          const j = (seed + i * 7) % (i + 1);
          [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
        }
        const inv = perm.map((_, i) => perm.indexOf(i));
        const n = s.reduce((x, y) => x * y, 1);
        const t = T.arange(n, undefined, 1, { dtype: 'float32' }).reshape(s);
        const p = t.permute(perm);
        expect(p.shape).toEqual(perm.map((d) => s[d]));
        expect(p.permute(inv).tolist()).toEqual(t.tolist());
      }),
    );
  });
});
