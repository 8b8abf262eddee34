/**
 * Loss cases beyond the golden files, against formulas computed with plain loops in the test
 * (PyTorch 1.13's definitions) and finite differences.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheck } from '@backstep/autograd';
import { randn, rand, tensor, type Tensor } from '@backstep/tensor';
import {
  BCELoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, CrossEntropyLoss, crossEntropy, huberLoss, MSELoss, nllLoss,
  smoothL1Loss,
} from '../src/index.js';
import { expectClose, setup, values } from './setup.js';

beforeAll(setup);

const f64 = (data: number[] | number[][] | number[][][]): Tensor => tensor(data, { dtype: 'float64' });
const i32 = (data: number | number[] | number[][] | number[][][]): Tensor => tensor(data, { dtype: 'int32' });

function logSoftmaxRow(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

/** PyTorch 1.13 cross-entropy with class indices, for rows [M][C], written out with loops. */
function refCrossEntropy(rows: number[][], target: number[], w: number[] | null, ignore: number, ls: number, reduction: 'none' | 'mean' | 'sum'): number[] {
  const c = rows[0]!.length;
  const nll: number[] = [];
  const smooth: number[] = [];
  let wsum = 0;
  rows.forEach((r, i) => {
    const lp = logSoftmaxRow(r);
    const y = target[i]!;
    if (y === ignore) {
      nll.push(0);
      smooth.push(0);
      return;
    }
    const wy = w ? w[y]! : 1;
    wsum += wy;
    nll.push(-wy * lp[y]!);
    smooth.push(-lp.reduce((a, v, k) => a + v * (w ? w[k]! : 1), 0));
  });
  const red = (v: number[]): number[] => {
    if (reduction === 'none') return v;
    const s = v.reduce((a, b) => a + b, 0);
    return [reduction === 'sum' ? s : s / wsum];
  };
  const a = red(nll);
  const b = red(smooth);
  return a.map((v, i) => (1 - ls) * v + (ls / c) * b[i]!);
}

describe('crossEntropy / nllLoss', () => {
  const logits = [[0.2, -1.3, 2.1], [1.5, 0.3, -0.7], [-0.4, 0.9, 0.1], [2.2, -0.1, 0.6]];
  const target = [2, -100, 1, 0];
  const weight = [0.5, 2, 1.25];

  for (const reduction of ['none', 'mean', 'sum'] as const) {
    for (const ls of [0, 0.2]) {
      it(`matches the loop reference with weight, ignoreIndex and labelSmoothing=${ls} (${reduction})`, () => {
        const x = f64(logits);
        const out = new CrossEntropyLoss({ weight: f64(weight), reduction, labelSmoothing: ls }).call(x, i32(target));
        expectClose(values(out), refCrossEntropy(logits, target, weight, -100, ls, reduction), 1e-12, 1e-12);
      });
    }
  }

  it('gives ignored rows zero loss and zero gradient; all-ignored mean is NaN as in PyTorch', () => {
    const x = f64(logits);
    x.requiresGrad = true;
    const out = crossEntropy(x, i32(target), { reduction: 'none', labelSmoothing: 0.1 });
    expect(values(out)[1]).toBe(0);
    out.sum().backward();
    expect(values(x.grad).slice(3, 6)).toEqual([0, 0, 0]);
    expect(Number.isNaN(values(crossEntropy(f64([[1, 2]]), i32([-100])))[0])).toBe(true);
    const custom = crossEntropy(f64(logits), i32([2, 7, 1, 0]), { ignoreIndex: 7, reduction: 'sum' });
    expectClose(values(custom), refCrossEntropy(logits, [2, 7, 1, 0], null, 7, 0, 'sum'), 1e-12);
  });

  it('handles [N, C, d1, d2] inputs with [N, d1, d2] targets (class dim 1) and unbatched [C] inputs', () => {
    const x = randn([2, 3, 2, 2], { dtype: 'float64' });
    const xv = values(x);
    const t = [[[0, 2], [1, 1]], [[2, 0], [-100, 1]]];
    const rows: number[][] = [];
    const flatT: number[] = [];
    for (let n = 0; n < 2; n++) {
      for (let p = 0; p < 4; p++) {
        rows.push([0, 1, 2].map((c) => xv[(n * 3 + c) * 4 + p]!));
        flatT.push(t[n]![Math.floor(p / 2)]![p % 2]!);
      }
    }
    const none = crossEntropy(x, i32(t), { reduction: 'none', weight: f64(weight), labelSmoothing: 0.3 });
    expect(none.shape).toEqual([2, 2, 2]);
    expectClose(values(none), refCrossEntropy(rows, flatT, weight, -100, 0.3, 'none'), 1e-12, 1e-12);
    const mean = crossEntropy(x, i32(t), { weight: f64(weight), labelSmoothing: 0.3 });
    expectClose(values(mean), refCrossEntropy(rows, flatT, weight, -100, 0.3, 'mean'), 1e-12, 1e-12);
    const unbatched = crossEntropy(f64([1, 2, 3]), i32(0), { reduction: 'none' });
    expect(unbatched.shape).toEqual([]);
    expectClose(values(unbatched), [-logSoftmaxRow([1, 2, 3])[0]!], 1e-12);
  });

  it('with class-probability targets, label smoothing and weights', () => {
    const probs = [[0.1, 0.6, 0.3], [1, 0, 0], [0.2, 0.2, 0.6], [0, 0.5, 0.5]];
    const ls = 0.25;
    const per = logits.map((r, i) => {
      const lp = logSoftmaxRow(r);
      return -lp.reduce((a, v, k) => a + v * (probs[i]![k]! * (1 - ls) + ls / 3) * weight[k]!, 0);
    });
    const opts = { weight: f64(weight), labelSmoothing: ls };
    expectClose(values(crossEntropy(f64(logits), f64(probs), { ...opts, reduction: 'none' })), per, 1e-12, 1e-12);
    expectClose(values(crossEntropy(f64(logits), f64(probs), opts)), [per.reduce((a, b) => a + b, 0) / 4], 1e-12, 1e-12);
  });

  it('has finite-difference-correct gradients', () => {
    const x = randn([4, 3], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((xx) => crossEntropy(xx!, i32(target), { weight: f64(weight), labelSmoothing: 0.1 }), [x])).toBe(true);
    const probs = rand([4, 3], { dtype: 'float64' });
    expect(gradcheck((xx) => crossEntropy(xx!, probs, { labelSmoothing: 0.1 }), [x])).toBe(true);
  });

  it('nllLoss picks -w[y]·input[y] and divides by the weight sum', () => {
    const lp = [[-1, -2, -3], [-0.5, -1.5, -2.5]];
    const out = nllLoss(f64(lp), i32([2, 0]), { weight: f64([1, 1, 3]) });
    expectClose(values(out), [(3 * 3 + 1 * 0.5) / 4], 1e-12);
  });

  it('validates targets and options', () => {
    expect(() => crossEntropy(f64(logits), i32([0, 1, 3, 0]))).toThrow(/Target 3 is out of bounds/);
    expect(() => crossEntropy(f64(logits), tensor([0, 1, 2, 0]).to('bool'))).toThrow(/int32/);
    expect(() => crossEntropy(f64(logits), i32([0, 1]))).toThrow(/batch_size/);
    expect(() => crossEntropy(f64(logits), i32([0, 1, 2, 0]), { weight: f64([1, 2]) })).toThrow(/weight tensor should be defined/);
    expect(() => crossEntropy(f64(logits), i32([0, 1, 2, 0]), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing/);
    expect(() => new MSELoss({ reduction: 'avg' as 'mean' })).toThrow(/not a valid value for reduction/);
  });
});

describe('binary cross-entropy', () => {
  it('clamps the logs at -100 and keeps gradients finite at 0 and 1 (PyTorch formula)', () => {
    const x = f64([0, 1, 0.25, 1, 0]);
    x.requiresGrad = true;
    const y = f64([0, 1, 1, 0, 1]);
    const out = new BCELoss({ reduction: 'none' }).call(x, y);
    expectClose(values(out), [0, 0, -Math.log(0.25), 100, 100], 1e-12, 1e-12);
    out.sum().backward();
    // w (x - y) / max(x (1 - x), 1e-12)
    expectClose(values(x.grad), [0, 0, (0.25 - 1) / (0.25 * 0.75), 1 / 1e-12, -1 / 1e-12], 1e-6, 1e-12);
  });

  it('weight broadcasts; target gradient follows the formula', () => {
    const x = f64([[0.2, 0.7], [0.9, 0.4]]);
    const y = f64([[0, 1], [0.5, 0.25]]);
    y.requiresGrad = true;
    const w = f64([2, 0.5]);
    const out = binaryCrossEntropy(x, y, { weight: w, reduction: 'sum' });
    const xv = [0.2, 0.7, 0.9, 0.4];
    const yv = [0, 1, 0.5, 0.25];
    const wv = [2, 0.5, 2, 0.5];
    const ref = xv.reduce((a, xi, i) => a - wv[i]! * (yv[i]! * Math.log(xi) + (1 - yv[i]!) * Math.log(1 - xi)), 0);
    expectClose(values(out), [ref], 1e-12, 1e-12);
    out.backward();
    expectClose(values(y.grad), xv.map((xi, i) => -wv[i]! * (Math.log(xi) - Math.log(1 - xi))), 1e-12, 1e-12);
    expect(() => binaryCrossEntropy(x, f64([1, 0]))).toThrow(/target size/);
  });

  it('with logits: stable for large |x|, posWeight along the last dim, correct gradients', () => {
    const x = f64([[-200, 200, 0.5], [3, -4, 0]]);
    const y = f64([[1, 0, 1], [0, 1, 0.5]]);
    const pw = f64([2, 3, 0.5]);
    const xv = [-200, 200, 0.5, 3, -4, 0];
    const yv = [1, 0, 1, 0, 1, 0.5];
    const pv = [2, 3, 0.5, 2, 3, 0.5];
    // loss = -[p y log σ(x) + (1 - y) log(1 - σ(x))], with log σ(x) = -softplus(-x)
    const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    const ref = xv.map((xi, i) => pv[i]! * yv[i]! * softplus(-xi) + (1 - yv[i]!) * softplus(xi));
    const out = binaryCrossEntropyWithLogits(x, y, { posWeight: pw, reduction: 'none' });
    expectClose(values(out), ref, 1e-12, 1e-12);
    const xs = randn([3, 3], { dtype: 'float64', requiresGrad: true });
    const ys = rand([3, 3], { dtype: 'float64' });
    expect(gradcheck((xx) => binaryCrossEntropyWithLogits(xx!, ys, { posWeight: pw, weight: f64([1, 2, 3]) }), [xs])).toBe(true);
  });
});

describe('regression losses', () => {
  it('huber and smooth L1 switch at delta / beta with the right gradients', () => {
    const x = f64([0.1, -0.3, 2, -3]);
    const t = f64([0, 0, 0, 0]);
    x.requiresGrad = true;
    const h = huberLoss(x, t, { delta: 0.5, reduction: 'none' });
    expectClose(values(h), [0.005, 0.045, 0.5 * (2 - 0.25), 0.5 * (3 - 0.25)], 1e-12, 1e-12);
    const s = smoothL1Loss(x, t, { beta: 0.5, reduction: 'none' });
    expectClose(values(s), [0.01, 0.09, 2 - 0.25, 3 - 0.25], 1e-12, 1e-12);
    s.sum().backward();
    expectClose(values(x.grad), [0.2, -0.6, 1, -1], 1e-12, 1e-12);
    expectClose(values(smoothL1Loss(x, t, { beta: 0 })), [(0.1 + 0.3 + 2 + 3) / 4], 1e-12);
    expect(() => huberLoss(x, t, { delta: 0 })).toThrow(/delta/);
  });
});
