import { roundTo } from '../harness.js';
import { numel, ravel, sixteenths, unravel } from '../reference.js';
import { FLOATS, type Suite } from '../suite.js';

/** Reference softmax / log-softmax along `axis`, straight from the definition exp(x)/Σexp(x) (inputs are small). */
function softmaxRef(x: number[], shape: number[], axis: number, log: boolean): number[] {
  if (shape.length === 0) return x.map(() => (log ? 0 : 1));
  return x.map((_, p) => {
    const idx = unravel(p, shape);
    let sum = 0;
    for (let k = 0; k < (shape[axis] as number); k++) {
      const j = [...idx];
      j[axis] = k;
      sum += Math.exp(x[ravel(j, shape)] as number);
    }
    const e = Math.exp(x[p] as number) / sum;
    return log ? Math.log(e) : e;
  });
}

/** Cases of softmax and logSoftmax. */
export function softmaxCases(s: Suite): void {
  for (const name of ['softmax', 'logSoftmax'] as const) {
    const log = name === 'logSoftmax';
    s.kernel(name, () => {
      const layouts: [number[], number][] = [
        [[2, 5], 1],
        [[2, 5], 0],
        [[2, 3, 4], 1],
        [[7], 0],
        [[], 0],
        [[0, 3], 1],
        [[3, 0], 1],
      ];
      for (const [shape, axis] of layouts) {
        s.each(FLOATS, `shape [${shape.join(', ')}] along axis ${axis}`, async (c, dtype) => {
          const x = sixteenths(numel(shape), 31).map((v) => roundTo(dtype, v));
          const y = c.run(name, [c.t(x, shape, dtype)], { axis });
          await c.expect(y, { shape, dtype, values: softmaxRef(x, shape, axis, log) });
          if (!log && shape.length > 0) {
            // every slice along the axis sums to 1
            const got = await c.values(y);
            const sums = new Map<number, number>();
            got.forEach((v, p) => {
              const idx = unravel(p, shape);
              idx[axis] = 0;
              const key = ravel(idx, shape);
              sums.set(key, (sums.get(key) ?? 0) + v);
            });
            for (const total of sums.values()) {
              if (Math.abs(total - 1) > (dtype === 'float32' ? 1e-5 : 1e-12)) throw new Error(`softmax slice sums to ${total}`);
            }
          }
        });
      }
      s.each(FLOATS, 'subtracts the max: large inputs do not overflow', async (c, dtype) => {
        const y = c.run(name, [c.t([1000, 1001, -1000, -1001], [2, 2], dtype)], { axis: 1 });
        const p = [0.2689414213699951, 0.7310585786300049, 0.7310585786300049, 0.2689414213699951];
        await c.expect(y, { shape: [2, 2], dtype, values: log ? p.map(Math.log) : p });
      });
      if (log) {
        s.each(FLOATS, 'stays finite where softmax underflows', async (c, dtype) => {
          const y = c.run(name, [c.t([0, -200], [2], dtype)], { axis: 0 });
          await c.expect(y, { shape: [2], dtype, values: [-Math.exp(-200), -200] });
        });
      }
      s.eachSpecial(FLOATS, '-Infinity entries get probability 0', async (c, dtype) => {
        const y = c.run(name, [c.t([-Infinity, 0, 0], [3], dtype)], { axis: 0 });
        await c.expect(y, { shape: [3], dtype, values: log ? [-Infinity, Math.log(0.5), Math.log(0.5)] : [0, 0.5, 0.5] });
      });
    });
  }
}
