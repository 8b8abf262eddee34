import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { useCpu } from './setup.js';

useCpu();

const close = (a: number[] | number, b: number[] | number, tol = 1e-6) => {
  const x = ([] as number[]).concat(a as number);
  const y = ([] as number[]).concat(b as number);
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - (y[i] as number))).toBeLessThanOrEqual(tol));
};

describe('reductions (hand-derived values)', () => {
  const x = T.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  it('sum/mean/prod/amax/amin with dims and keepdim', () => {
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).tolist()).toEqual([5, 7, 9]);
    expect(x.sum(1, true).tolist()).toEqual([[6], [15]]);
    expect(x.mean([0, 1]).item()).toBe(3.5);
    expect(x.prod(1).tolist()).toEqual([6, 120]);
    expect(x.amax(0).tolist()).toEqual([4, 5, 6]);
    expect(x.amin(1).tolist()).toEqual([1, 4]);
    expect(x.sum({ dim: -1, keepdim: true }).shape).toEqual([2, 1]);
  });
  it('var/std are unbiased by default; correction 0 gives the population variance', () => {
    close(x.var(1).tolist() as number[], [1, 1]);
    close(x.var().item(), 3.5);
    close(x.var({ correction: 0 }).item(), 35 / 12);
    close(x.std(0).tolist() as number[], [Math.sqrt(4.5), Math.sqrt(4.5), Math.sqrt(4.5)]);
  });
  it('logsumexp is stable', () => {
    const big = T.tensor([1000, 1000], { dtype: 'float64' });
    close(T.logsumexp(big, 0).item(), 1000 + Math.log(2));
    close(x.logsumexp(1).tolist() as number[], [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), Math.log(Math.exp(4) + Math.exp(5) + Math.exp(6))], 1e-12);
  });
  it('max/min along a dim give values and first indices', () => {
    const y = T.tensor([[3, 7, 7], [9, 1, 9]]);
    const [v, i] = y.max(1);
    expect(v.tolist()).toEqual([7, 9]);
    expect(i.tolist()).toEqual([1, 0]);
    expect(y.min(0).indices.tolist()).toEqual([0, 1, 0]);
    expect(y.argmax().item()).toBe(3);
    expect(y.argmin(1, true).tolist()).toEqual([[0], [1]]);
  });
  it('sum of bools counts; all/any', () => {
    const b = T.tensor([true, false, true]);
    expect(b.sum().item()).toBe(2);
    expect(b.sum().dtype).toBe('int32');
    expect(b.all().item()).toBe(0);
    expect(b.any().item()).toBe(1);
  });
  it('norm', () => {
    close(T.tensor([3, 4]).norm().item(), 5);
    close(T.tensor([3, -4]).norm(1).item(), 7);
    close(T.tensor([3, -4]).norm(Infinity).item(), 4);
  });
});

describe('elementwise', () => {
  it('dtype promotion follows PyTorch', () => {
    const i = T.tensor([1, 2, 3], { dtype: 'int32' });
    expect(i.add(1).dtype).toBe('int32');
    expect(i.mul(0.5).dtype).toBe('float32');
    expect(i.div(2).tolist()).toEqual([0.5, 1, 1.5]);
    expect(i.div(2, { roundingMode: 'floor' }).tolist()).toEqual([0, 1, 1]);
    expect(T.tensor([1], { dtype: 'float32' }).add(T.tensor(1, { dtype: 'float64' })).dtype).toBe('float32');
    expect(T.tensor([1], { dtype: 'float32' }).add(T.tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
  });
  it('unary functions', () => {
    close(T.tensor([-1, 0, 2]).abs().tolist() as number[], [1, 0, 2]);
    close(T.tensor([-2, 0, 3]).sign().tolist() as number[], [-1, 0, 1]);
    close(T.tensor([0.5, 1.5, 2.5, -0.5]).round().tolist() as number[], [0, 2, 2, -0]);
    close(T.tensor([0], { dtype: 'float64' }).gelu().tolist() as number[], [0]);
    close(T.tensor([1], { dtype: 'float64' }).gelu().item(), 0.8413447460685429, 1e-12);
    close(T.tensor([1], { dtype: 'float64' }).gelu({ approximate: 'tanh' }).item(), 0.8411919906082768, 1e-12);
    close(T.tensor([1], { dtype: 'float64' }).erf().item(), 0.8427007929497149, 1e-12);
    close(T.tensor([4]).rsqrt().item(), 0.5);
  });
  it('comparisons, where, maskedFill, clamp', () => {
    const x = T.tensor([1, 5, 3]);
    expect(x.gt(2).tolist()).toEqual([false, true, true]);
    expect(T.where(x.gt(2), x, 0).tolist()).toEqual([0, 5, 3]);
    expect(x.maskedFill(x.eq(5), -1).tolist()).toEqual([1, -1, 3]);
    expect(x.clamp({ min: 2, max: 4 }).tolist()).toEqual([2, 4, 3]);
    expect(T.isfinite(T.tensor([1, Infinity, NaN])).tolist()).toEqual([true, false, false]);
  });
});

describe('shapes, indexing and joins', () => {
  const x = T.arange(12, undefined, 1, { dtype: 'float32' }).reshape(3, 4);
  it('views and copies', () => {
    expect(x.flatten().shape).toEqual([12]);
    expect(x.unsqueeze(0).squeeze().shape).toEqual([3, 4]);
    expect(x.t().tolist()).toEqual([[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]]);
    expect(x.T.shape).toEqual([4, 3]);
    expect(T.tensor([1, 2]).expand(2, 2).tolist()).toEqual([[1, 2], [1, 2]]);
    expect(x.unflatten(1, [2, 2]).shape).toEqual([3, 2, 2]);
  });
  it('narrow/select/slice/index', () => {
    expect(x.narrow(1, 1, 2).tolist()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(x.select(0, -1).tolist()).toEqual([8, 9, 10, 11]);
    expect(x.index(':', '::3').tolist()).toEqual([[0, 3], [4, 7], [8, 11]]);
    expect(x.index(null, 1).shape).toEqual([1, 4]);
    expect(x.index([2, 0], -1).tolist()).toEqual([11, 3]);
    expect(x.index(x.gt(9)).tolist()).toEqual([10, 11]);
  });
  it('gather/scatter/indexSelect/indexAdd', () => {
    const idx = T.tensor([[0, 0], [1, 0]], { dtype: 'int32' });
    const t = T.tensor([[1, 2], [3, 4]]);
    expect(t.gather(1, idx).tolist()).toEqual([[1, 1], [4, 3]]);
    expect(T.zeros([2, 2]).scatter(1, idx, t).tolist()).toEqual([[2, 0], [4, 3]]);
    expect(T.zeros([2, 2]).scatterAdd(1, idx, t).tolist()).toEqual([[3, 0], [4, 3]]);
    expect(t.indexSelect(0, T.tensor([1, 1, 0], { dtype: 'int32' })).tolist()).toEqual([[3, 4], [3, 4], [1, 2]]);
    expect(T.zeros([2, 2]).indexAdd(0, T.tensor([1, 1], { dtype: 'int32' }), t).tolist()).toEqual([[0, 0], [4, 6]]);
  });
  it('cat/stack/split/chunk/unbind/repeat', () => {
    const a = T.tensor([[1, 2]]);
    const b = T.tensor([[3, 4]]);
    expect(T.cat([a, b]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(T.cat([a, b], 1).tolist()).toEqual([[1, 2, 3, 4]]);
    expect(T.stack([a, b], 2).shape).toEqual([1, 2, 2]);
    expect(T.arange(5).split(2).map((p) => p.tolist())).toEqual([[0, 1], [2, 3], [4]]);
    expect(T.arange(5).split([1, 4]).map((p) => p.tolist())).toEqual([[0], [1, 2, 3, 4]]);
    expect(T.arange(6).chunk(4).map((p) => p.tolist())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(x.unbind(1).length).toBe(4);
    expect(a.repeat(2, 2).tolist()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(() => T.cat([a, T.zeros([2, 3])])).toThrow(/sizes of tensors must match except in dimension 0/);
  });
  it('softmax rows sum to 1, oneHot', () => {
    const s = T.softmax(T.tensor([[1, 2, 3], [1, 1, 1]], { dtype: 'float64' }), -1);
    close(s.sum(1).tolist() as number[], [1, 1], 1e-12);
    const e = [1, 2, 3].map(Math.exp);
    close((s.tolist() as number[][])[0]!, e.map((v) => v / (e[0]! + e[1]! + e[2]!)), 1e-12);
    expect(T.oneHot(T.tensor([2, 0], { dtype: 'int32' }), 3).tolist()).toEqual([[0, 0, 1], [1, 0, 0]]);
  });
});

describe('matmul and convolution (against naive loops)', () => {
  function naiveMatmul(a: number[][], b: number[][]): number[][] {
    return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
  }
  it('matmul 1-D/2-D/batched forms', () => {
    const a = [[1, 2, 3], [4, 5, 6]];
    const b = [[1, 0], [0, 1], [1, 1]];
    const ta = T.tensor(a, { dtype: 'float64' });
    const tb = T.tensor(b, { dtype: 'float64' });
    expect(ta.matmul(tb).tolist()).toEqual(naiveMatmul(a, b));
    expect(ta.matmul(T.tensor([1, 1, 1], { dtype: 'float64' })).tolist()).toEqual([6, 15]);
    expect(T.tensor([1, 1], { dtype: 'float64' }).matmul(ta).tolist()).toEqual([5, 7, 9]);
    expect(T.dot(T.tensor([1, 2]), T.tensor([3, 4])).item()).toBe(11);
    const batched = T.stack([ta, ta.mul(2)]).matmul(tb);
    expect(batched.tolist()).toEqual([naiveMatmul(a, b), naiveMatmul(a.map((r) => r.map((v) => 2 * v)), b)]);
    expect(T.outer(T.tensor([1, 2]), T.tensor([3, 4, 5])).tolist()).toEqual([[3, 4, 5], [6, 8, 10]]);
  });

  it('conv2d with stride, padding and groups matches a direct loop', () => {
    const g = new T.Generator(3);
    const [n, c, h, w, o, k] = [2, 4, 5, 6, 6, 3];
    for (const [stride, padding, groups] of [[1, 0, 1], [2, 1, 1], [1, 1, 2]] as const) {
      const x = T.randn([n, c, h, w], { generator: g, dtype: 'float64' });
      const wt = T.randn([o, c / groups, k, k], { generator: g, dtype: 'float64' });
      const bias = T.randn([o], { generator: g, dtype: 'float64' });
      const y = T.conv2d(x, wt, bias, { stride, padding, groups });
      const xv = x.dataSync();
      const wv = wt.dataSync();
      const bv = bias.dataSync();
      const oh = Math.floor((h + 2 * padding - k) / stride) + 1;
      const ow = Math.floor((w + 2 * padding - k) / stride) + 1;
      expect(y.shape).toEqual([n, o, oh, ow]);
      const yv = y.dataSync();
      const cg = c / groups;
      for (let b = 0; b < n; b++) for (let oc = 0; oc < o; oc++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
        let s = bv[oc]!;
        const grp = Math.floor(oc / (o / groups));
        for (let ic = 0; ic < cg; ic++) for (let ki = 0; ki < k; ki++) for (let kj = 0; kj < k; kj++) {
          const yy = i * stride - padding + ki;
          const xx = j * stride - padding + kj;
          if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
          s += xv[((b * c + grp * cg + ic) * h + yy) * w + xx]! * wv[((oc * cg + ic) * k + ki) * k + kj]!;
        }
        expect(Math.abs(yv[((b * o + oc) * oh + i) * ow + j]! - s)).toBeLessThan(1e-12);
      }
    }
  });

  it('maxPool2d and avgPool2d', () => {
    const x = T.arange(16, undefined, 1, { dtype: 'float32' }).reshape(1, 1, 4, 4);
    expect(T.maxPool2d(x, 2).tolist()).toEqual([[[[5, 7], [13, 15]]]]);
    expect(T.avgPool2d(x, 2).tolist()).toEqual([[[[2.5, 4.5], [10.5, 12.5]]]]);
    expect(T.maxPool2d(x, 3, { stride: 1, padding: 1 }).shape).toEqual([1, 1, 4, 4]);
  });

  it('unfold then fold counts the taps per pixel', () => {
    const ones = T.ones([1, 1, 3, 3]);
    const folded = T.fold(T.unfold(ones, 2), [3, 3], 2);
    expect(folded.tolist()).toEqual([[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]);
  });
});
