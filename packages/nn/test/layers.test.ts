import { beforeAll, describe, expect, it } from 'vitest';
import { gradcheck } from '@backstep/autograd';
import { Generator, ones, rand, randn, tensor, type Tensor } from '@backstep/tensor';
import {
  AvgPool2d, Conv2d, Dropout, Embedding, Flatten, GELU, Identity, LayerNorm, Linear, LogSoftmax, MaxPool2d, ReLU,
  Sigmoid, Softmax, Tanh,
} from '../src/index.js';
import { expectClose, setup, values } from './setup.js';

beforeAll(setup);

describe('Linear', () => {
  it('initialises weight and bias in U(-1/sqrt(in), 1/sqrt(in)) with the given generator', () => {
    const lin = new Linear(16, 64, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(16);
    const w = values(lin.weight);
    const b = values(lin.bias);
    expect(w.every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(b.every((v) => Math.abs(v) <= bound)).toBe(true);
    // spread over the interval, not a constant
    expect(Math.max(...w)).toBeGreaterThan(0.8 * bound);
    expect(Math.min(...w)).toBeLessThan(-0.8 * bound);
    const again = new Linear(16, 64, { generator: new Generator(1) });
    expect(values(again.weight)).toEqual(w);
    expect(lin.weight.shape).toEqual([64, 16]);
    expect(new Linear(3, 2, { dtype: 'float64' }).weight.dtype).toBe('float64');
  });

  it('computes x W^T + b on any leading shape', () => {
    const lin = new Linear(2, 1);
    lin.loadStateDict({ weight: tensor([[2, -1]]), bias: tensor([0.5]) });
    expect(values(lin.call(tensor([[1, 3], [2, 0]])))).toEqual([-0.5, 4.5]);
    expect(lin.call(ones([4, 5, 2])).shape).toEqual([4, 5, 1]);
  });
});

/** A direct nested-loop 2-D convolution (cross-correlation) in float64. */
function naiveConv2d(
  x: number[], xs: number[], w: number[], ws: number[], b: number[] | null,
  stride: [number, number], pad: [number, number], dil: [number, number], groups: number,
): { out: number[]; shape: number[] } {
  const [n, c, h, wd] = xs as [number, number, number, number];
  const [o, cg, kh, kw] = ws as [number, number, number, number];
  const oh = Math.floor((h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  const out: number[] = [];
  const og = o / groups;
  for (let ni = 0; ni < n; ni++) {
    for (let oi = 0; oi < o; oi++) {
      const g = Math.floor(oi / og);
      for (let y = 0; y < oh; y++) {
        for (let xx = 0; xx < ow; xx++) {
          let s = b ? (b[oi] as number) : 0;
          for (let ci = 0; ci < cg; ci++) {
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) {
                const iy = y * stride[0] - pad[0] + i * dil[0];
                const ix = xx * stride[1] - pad[1] + j * dil[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                const cin = g * cg + ci;
                s += (x[((ni * c + cin) * h + iy) * wd + ix] as number) * (w[((oi * cg + ci) * kh + i) * kw + j] as number);
              }
            }
          }
          out.push(s);
        }
      }
    }
  }
  return { out, shape: [n, o, oh, ow] };
}

describe('Conv2d', () => {
  const cases = [
    { name: 'basic 3x3', cin: 2, cout: 3, k: 3 as const, opts: {} },
    { name: 'stride 2, padding 1', cin: 2, cout: 2, k: 3 as const, opts: { stride: 2, padding: 1 } },
    { name: 'dilation 2, rectangular kernel, no bias', cin: 1, cout: 2, k: [2, 3] as [number, number], opts: { dilation: 2, bias: false } },
    { name: 'groups 2', cin: 4, cout: 6, k: 2 as const, opts: { groups: 2, padding: [1, 0] as [number, number] } },
  ];
  for (const cs of cases) {
    it(`matches a naive loop: ${cs.name}`, () => {
      const conv = new Conv2d(cs.cin, cs.cout, cs.k, { ...cs.opts, dtype: 'float64' });
      const x = randn([2, cs.cin, 7, 6], { dtype: 'float64' });
      const y = conv.call(x);
      const o = cs.opts as { stride?: number; padding?: number | [number, number]; dilation?: number; groups?: number };
      const pad = o.padding === undefined ? [0, 0] : typeof o.padding === 'number' ? [o.padding, o.padding] : o.padding;
      const ref = naiveConv2d(
        values(x), [...x.shape], values(conv.weight), [...conv.weight.shape], conv.bias ? values(conv.bias) : null,
        [o.stride ?? 1, o.stride ?? 1], pad as [number, number], [o.dilation ?? 1, o.dilation ?? 1], o.groups ?? 1,
      );
      expect(y.shape).toEqual(ref.shape);
      expectClose(values(y), ref.out, 1e-10, 1e-10);
    });
  }

  it('initialises with bound 1/sqrt(fanIn), fanIn = in/groups * kh * kw, and gets finite-difference-correct gradients', () => {
    const conv = new Conv2d(4, 2, [3, 2], { groups: 2, dtype: 'float64' });
    expect(conv.weight.shape).toEqual([2, 2, 3, 2]);
    const bound = 1 / Math.sqrt(2 * 3 * 2);
    expect(values(conv.weight).every((v) => Math.abs(v) <= bound)).toBe(true);
    const x = randn([1, 4, 4, 3], { dtype: 'float64', requiresGrad: true });
    // the function reads conv.weight / conv.bias, which gradcheck perturbs in place
    const r0 = randn([1, 2, 2, 2], { dtype: 'float64' });
    expect(gradcheck((xx) => conv.forward(xx!).mul(r0).sum(), [x, conv.weight, conv.bias!])).toBe(true);
    const strided = new Conv2d(4, 2, 3, { padding: 1, stride: 2, dtype: 'float64' });
    const r = randn([1, 2, 2, 2], { dtype: 'float64' });
    expect(gradcheck((xx) => strided.forward(xx!).mul(r).sum(), [x])).toBe(true);
  });

  it('validates groups', () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/divisible by groups/);
  });
});

describe('pooling and shape layers', () => {
  it('MaxPool2d picks window maxima and routes the gradient to them', () => {
    const x = tensor([[[[1, 5, 2, 0], [3, 4, 8, 1], [0, 2, 6, 7], [9, 1, 3, 2]]]], { requiresGrad: true });
    const y = new MaxPool2d(2).call(x);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(values(y)).toEqual([5, 8, 9, 7]);
    y.backward(tensor([[[[1, 2], [3, 4]]]]));
    expect(values(x.grad)).toEqual([0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 4, 3, 0, 0, 0]);
    const strided = new MaxPool2d(3, { stride: 1 }).call(x.detach());
    expect(values(strided)).toEqual([8, 8, 9, 8]);
  });

  it('AvgPool2d averages windows, with countIncludePad and divisorOverride', () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    expect(values(new AvgPool2d(2).call(x))).toEqual([2.5]);
    // padding 1, kernel 2, stride 2: corners see one real value and three zeros
    expect(values(new AvgPool2d(2, { padding: 1 }).call(x))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(values(new AvgPool2d(2, { padding: 1, countIncludePad: false }).call(x))).toEqual([1, 2, 3, 4]);
    expect(values(new AvgPool2d(2, { divisorOverride: 2 }).call(x))).toEqual([5]);
  });

  it('Flatten keeps the batch dim by default', () => {
    expect(new Flatten().call(ones([2, 3, 4])).shape).toEqual([2, 12]);
    expect(new Flatten(0, 1).call(ones([2, 3, 4])).shape).toEqual([6, 4]);
  });
});

describe('Dropout', () => {
  it('zeroes about p of the elements in training and scales the rest by 1/(1-p)', () => {
    const p = 0.3;
    const n = 100_000;
    const d = new Dropout(p, { generator: new Generator(7) });
    const x = ones([n], { requiresGrad: true });
    const y = d.call(x);
    const v = values(y);
    const zeros = v.filter((e) => e === 0).length;
    expect(Math.abs(zeros / n - p)).toBeLessThan(0.01);
    const scale = Math.fround(1 / (1 - p));
    expect(v.every((e) => e === 0 || Math.abs(e - scale) < 1e-6)).toBe(true);
    expect(Math.abs(v.reduce((a, b) => a + b, 0) / n - 1)).toBeLessThan(0.02);
    // gradient: the same mask and scale
    y.sum().backward();
    const g = values(x.grad);
    expect(g.every((e, i) => e === v[i])).toBe(true);
  });

  it('is the identity in eval mode and for p = 0; p = 1 zeroes everything; p is validated', () => {
    const x = rand([10]);
    const d = new Dropout(0.5);
    d.eval();
    expect(d.call(x)).toBe(x);
    expect(new Dropout(0).call(x)).toBe(x);
    expect(values(new Dropout(1).call(x))).toEqual(new Array(10).fill(0));
    expect(() => new Dropout(1.5)).toThrow(/between 0 and 1/);
    expect(() => new Dropout(-0.1)).toThrow(/between 0 and 1/);
  });

  it('draws different masks on successive calls', () => {
    const d = new Dropout(0.5);
    const x = ones([64]);
    expect(values(d.call(x))).not.toEqual(values(d.call(x)));
  });
});

describe('Embedding', () => {
  it('looks up rows for any index shape; paddingIdx starts at zero and gets no gradient', () => {
    const emb = new Embedding(5, 3, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(4);
    expect(values(emb.weight).slice(12)).toEqual([0, 0, 0]);
    const w = values(emb.weight);
    const idx = tensor([[0, 2], [4, 2]], { dtype: 'int32' });
    const out = emb.call(idx);
    expect(out.shape).toEqual([2, 2, 3]);
    expect(values(out)).toEqual([...w.slice(0, 3), ...w.slice(6, 9), ...w.slice(12, 15), ...w.slice(6, 9)]);
    out.backward(ones([2, 2, 3]));
    expect(values(emb.weight.grad)).toEqual([1, 1, 1, 0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0]);
  });

  it('initialises from N(0, 1), rejects non-int32 and out-of-range indices', () => {
    const emb = new Embedding(200, 50);
    const w = values(emb.weight);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(() => emb.call(tensor([1, 2]))).toThrow(/int32/);
    expect(() => emb.call(tensor([200], { dtype: 'int32' }))).toThrow(/out of range/);
    const pre = Embedding.fromPretrained(tensor([[1, 2], [3, 4]]));
    expect(pre.weight.requiresGrad).toBe(false);
    expect(values(pre.call(tensor([1], { dtype: 'int32' })))).toEqual([3, 4]);
  });
});

describe('LayerNorm', () => {
  it('matches a hand computation with the biased variance', () => {
    const ln = new LayerNorm(4, { dtype: 'float64' });
    const out = ln.call(tensor([[1, 2, 3, 6], [-1, -1, 1, 1]], { dtype: 'float64' }));
    // row 1: mean 3, biased variance (4+1+0+9)/4 = 3.5; row 2: mean 0, variance 1
    const s1 = Math.sqrt(3.5 + 1e-5);
    const s2 = Math.sqrt(1 + 1e-5);
    expectClose(values(out), [-2 / s1, -1 / s1, 0, 3 / s1, -1 / s2, -1 / s2, 1 / s2, 1 / s2], 1e-12, 1e-12);
    expect(values(ln.weight)).toEqual([1, 1, 1, 1]);
    expect(values(ln.bias)).toEqual([0, 0, 0, 0]);
  });

  it('applies weight and bias over a multi-dim normalized shape, with correct gradients', () => {
    const ln = new LayerNorm([2, 2], { eps: 0.1, dtype: 'float64' });
    ln.loadStateDict({ weight: tensor([[2, 1], [1, 1]], { dtype: 'float64' }), bias: tensor([[0, 0], [0, 5]], { dtype: 'float64' }) });
    const out = ln.call(tensor([[[0, 2], [4, 6]]], { dtype: 'float64' }));
    // mean 3, variance (9+1+1+9)/4 = 5
    const s = Math.sqrt(5 + 0.1);
    expectClose(values(out), [(-3 / s) * 2, -1 / s, 1 / s, 3 / s + 5], 1e-12, 1e-12);
    const x = randn([3, 2, 2], { dtype: 'float64', requiresGrad: true });
    const r = randn([3, 2, 2], { dtype: 'float64' });
    expect(gradcheck((xx) => ln.forward(xx!).mul(r).sum(), [x, ln.weight!, ln.bias!])).toBe(true);
    expect(() => ln.call(ones([2, 3], { dtype: 'float64' }))).toThrow(/normalizedShape/);
    const plain = new LayerNorm(3, { elementwiseAffine: false });
    expect(plain.parameters()).toEqual([]);
  });
});

describe('activations', () => {
  it('compute their formulas', () => {
    const x = tensor([-2, -0.5, 0, 1.5], { dtype: 'float64' });
    const v = [-2, -0.5, 0, 1.5];
    expect(values(new ReLU().call(x))).toEqual([0, 0, 0, 1.5]);
    expectClose(values(new Tanh().call(x)), v.map(Math.tanh), 1e-12);
    expectClose(values(new Sigmoid().call(x)), v.map((a) => 1 / (1 + Math.exp(-a))), 1e-12);
    // GELU(x) = x * Phi(x); Phi(-2) = 0.022750131948179195, Phi(-0.5) = 0.3085375387259869, Phi(1.5) = 0.9331927987311419
    expectClose(values(new GELU().call(x)), [-2 * 0.022750131948179195, -0.5 * 0.3085375387259869, 0, 1.5 * 0.9331927987311419], 1e-9);
    const m = tensor([[1, 2, 3]], { dtype: 'float64' });
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expectClose(values(new Softmax(1).call(m)), [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z], 1e-12);
    expectClose(values(new LogSoftmax(-1).call(m)), [1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)], 1e-12);
    expect(new Identity(1, 'ignored').call(x)).toBe(x);
  });
});
