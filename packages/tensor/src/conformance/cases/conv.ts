import { roundTo } from '../harness.js';
import { ints, numel, sixteenths, unfoldTaps, type Geometry } from '../reference.js';
import { FLOATS, NUMERIC, type Suite } from '../suite.js';

interface ConvCase {
  n: number;
  c: number;
  h: number;
  w: number;
  g: Geometry;
}

const g = (k: [number, number], s: [number, number] = [1, 1], p: [number, number] = [0, 0], d: [number, number] = [1, 1]): Geometry => ({
  kernelSize: k,
  stride: s,
  padding: p,
  dilation: d,
});

const CASES: ConvCase[] = [
  { n: 1, c: 1, h: 3, w: 3, g: g([2, 2]) },
  { n: 2, c: 3, h: 5, w: 4, g: g([3, 3], [1, 1], [1, 1]) },
  { n: 1, c: 2, h: 7, w: 6, g: g([3, 2], [2, 2], [1, 0]) },
  { n: 1, c: 2, h: 7, w: 7, g: g([3, 3], [1, 2], [2, 1], [2, 2]) },
  { n: 2, c: 1, h: 4, w: 5, g: g([1, 1]) },
  { n: 1, c: 1, h: 5, w: 5, g: g([5, 5]) },
  { n: 0, c: 2, h: 4, w: 4, g: g([2, 2]) },
];

const title = (k: ConvCase): string =>
  `[${k.n}, ${k.c}, ${k.h}, ${k.w}] kernel ${k.g.kernelSize.join('x')} stride ${k.g.stride.join(',')} ` +
  `padding ${k.g.padding.join(',')} dilation ${k.g.dilation.join(',')}`;

/** Naive unfold of a [N, C, H, W] array. */
function unfoldRef(x: number[], k: ConvCase, padValue: number): { shape: number[]; values: number[] } {
  const u = unfoldTaps(k.c, k.h, k.w, k.g);
  const values: number[] = [];
  for (let b = 0; b < k.n; b++) {
    for (let r = 0; r < u.rows; r++) {
      for (let col = 0; col < u.L; col++) {
        const t = u.tap(r, col);
        values.push(t === null ? padValue : (x[((b * k.c + t[0]) * k.h + t[1]) * k.w + t[2]] as number));
      }
    }
  }
  return { shape: [k.n, u.rows, u.L], values };
}

/** Naive fold: every column entry added to the pixel its tap reads. */
function foldRef(cols: number[], k: ConvCase): number[] {
  const u = unfoldTaps(k.c, k.h, k.w, k.g);
  const out = new Array<number>(k.n * k.c * k.h * k.w).fill(0);
  for (let b = 0; b < k.n; b++) {
    for (let r = 0; r < u.rows; r++) {
      for (let col = 0; col < u.L; col++) {
        const t = u.tap(r, col);
        if (t !== null) out[((b * k.c + t[0]) * k.h + t[1]) * k.w + t[2]] += cols[(b * u.rows + r) * u.L + col] as number;
      }
    }
  }
  return out;
}

/** Cases of im2col and col2im. */
export function convCases(s: Suite): void {
  s.kernel('im2col', () => {
    s.test('hand-checked 3x3 image, 2x2 kernel', async (c) => {
      const x = c.t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
      const y = c.run('im2col', [x], { kernelSize: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1], padValue: 0 });
      await c.expect(y, { shape: [1, 4, 4], dtype: 'float32', values: [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9] }, 'exact');
    });
    for (const k of CASES) {
      for (const padValue of [0, -7]) {
        s.each(NUMERIC, `${title(k)} padValue ${padValue}`, async (c, dtype) => {
          const xv = (dtype === 'int32' ? ints(k.n * k.c * k.h * k.w, -9, 9) : sixteenths(k.n * k.c * k.h * k.w, 41)).map((v) => roundTo(dtype, v));
          const r = unfoldRef(xv, k, padValue);
          const y = c.run('im2col', [c.t(xv, [k.n, k.c, k.h, k.w], dtype)], { ...k.g, padValue });
          await c.expect(y, { shape: r.shape, dtype, values: r.values }, 'exact');
        });
      }
    }
  });

  s.kernel('col2im', () => {
    for (const k of CASES) {
      s.each(NUMERIC, title(k), async (c, dtype) => {
        const u = unfoldTaps(k.c, k.h, k.w, k.g);
        const shape = [k.n, u.rows, u.L];
        const cv = (dtype === 'int32' ? ints(numel(shape), -9, 9) : sixteenths(numel(shape), 43)).map((v) => roundTo(dtype, v));
        const y = c.run('col2im', [c.t(cv, shape, dtype)], { outputSize: [k.h, k.w], ...k.g });
        await c.expect(y, { shape: [k.n, k.c, k.h, k.w], dtype, values: foldRef(cv, k) });
      });
      s.each(FLOATS, `${title(k)}: col2im(im2col(ones)) counts the taps on each pixel`, async (c, dtype) => {
        const ones = c.t(new Array<number>(k.n * k.c * k.h * k.w).fill(1), [k.n, k.c, k.h, k.w], dtype);
        const cols = c.run('im2col', [ones], { ...k.g, padValue: 0 });
        const y = c.run('col2im', [cols], { outputSize: [k.h, k.w], ...k.g });
        const u = unfoldTaps(k.c, k.h, k.w, k.g);
        const counts = new Array<number>(k.n * k.c * k.h * k.w).fill(0);
        for (let b = 0; b < k.n; b++) {
          for (let r = 0; r < u.rows; r++) {
            for (let col = 0; col < u.L; col++) {
              const t = u.tap(r, col);
              if (t !== null) counts[((b * k.c + t[0]) * k.h + t[1]) * k.w + t[2]]++;
            }
          }
        }
        await c.expect(y, { shape: [k.n, k.c, k.h, k.w], dtype, values: counts }, 'exact');
      });
    }
    s.each(['float64'], 'col2im is the adjoint of im2col: <im2col(x), y> = <x, col2im(y)>', async (c, dtype) => {
      const k = CASES[3] as ConvCase;
      const u = unfoldTaps(k.c, k.h, k.w, k.g);
      const xv = sixteenths(k.n * k.c * k.h * k.w, 51);
      const yv = sixteenths(k.n * u.rows * u.L, 53);
      const ux = await c.values(c.run('im2col', [c.t(xv, [k.n, k.c, k.h, k.w], dtype)], { ...k.g, padValue: 0 }));
      const fy = await c.values(c.run('col2im', [c.t(yv, [k.n, u.rows, u.L], dtype)], { outputSize: [k.h, k.w], ...k.g }));
      const lhs = ux.reduce((acc, v, i) => acc + v * (yv[i] as number), 0);
      const rhs = fy.reduce((acc, v, i) => acc + v * (xv[i] as number), 0);
      if (Math.abs(lhs - rhs) > 1e-9 * Math.max(1, Math.abs(lhs))) throw new Error(`adjoint mismatch: ${lhs} vs ${rhs}`);
    });
    s.test('a column count that does not match outputSize throws', async (c) => {
      const cols = c.t(new Array<number>(4 * 5).fill(1), [1, 4, 5]);
      await c.expectError(
        () => c.run('col2im', [cols], { outputSize: [3, 3], kernelSize: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1] }),
        Error,
      );
    });
  });
}
