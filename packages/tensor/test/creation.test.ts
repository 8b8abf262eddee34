import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

describe('tensor()', () => {
  it('builds float32 tensors from nested arrays by default', () => {
    const t = T.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(t.strides).toEqual([3, 1]);
  });

  it('infers bool from booleans and keeps typed-array dtypes', () => {
    expect(T.tensor([true, false]).dtype).toBe('bool');
    expect(T.tensor([true, false]).tolist()).toEqual([true, false]);
    expect(T.tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(T.tensor(new Float64Array([1.5])).dtype).toBe('float64');
    expect(T.tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).tolist()).toEqual([[1, 2], [3, 4]]);
  });

  it('rounds to float32 like torch.tensor', () => {
    expect(T.tensor([0.1]).dataSync()[0]).toBe(Math.fround(0.1));
    expect(T.tensor([0.1], { dtype: 'float64' }).dataSync()[0]).toBe(0.1);
  });

  it('makes 0-d tensors from numbers', () => {
    const s = T.tensor(3.5);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(3.5);
  });

  it('rejects ragged nested arrays naming where', () => {
    expect(() => T.tensor([[1, 2], [3]])).toThrow(/ragged.*length 2.*got length 1/);
    expect(() => T.tensor([[1, 2], 3] as never)).toThrow(/ragged/);
    expect(() => T.tensor([1, [2]] as never)).toThrow(/ragged/);
  });

  it('rejects a shape that does not fit the data', () => {
    expect(() => T.tensor(new Float32Array(5), { shape: [2, 2] })).toThrow(/holds 4 elements but the data has 5/);
  });

  it('rejects requiresGrad on integer tensors', () => {
    expect(() => T.tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(/floating point/);
  });
});

describe('creation functions', () => {
  it('zeros, ones, full, eye', () => {
    expect(T.zeros([2, 2]).tolist()).toEqual([[0, 0], [0, 0]]);
    expect(T.ones(3, { dtype: 'int32' }).tolist()).toEqual([1, 1, 1]);
    expect(T.full([2], 7).tolist()).toEqual([7, 7]);
    expect(T.eye(2, 3).tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it('arange and linspace', () => {
    expect(T.arange(5).tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(T.arange(5).dtype).toBe('int32');
    expect(T.arange(1, 2, 0.25).tolist()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(T.linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => T.arange(0, 5, -1)).toThrow(/inconsistent with step sign/);
  });

  it('random functions are reproducible under manualSeed and a saved generator state', () => {
    T.manualSeed(42);
    const a = T.rand([5]).tolist();
    T.manualSeed(42);
    expect(T.rand([5]).tolist()).toEqual(a);
    const g = new T.Generator(7);
    const state = g.getState();
    const n1 = T.randn([4], { generator: g }).tolist();
    g.setState(state);
    expect(T.randn([4], { generator: g }).tolist()).toEqual(n1);
    expect(() => g.setState({} as never)).toThrow(/not a generator state/);
  });

  it('random values have the right range and rough moments', () => {
    const g = new T.Generator(1);
    const u = Array.from(T.rand([20000], { generator: g }).dataSync());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((a, b) => a + b, 0) / u.length - 0.5)).toBeLessThan(0.01);
    const n = Array.from(T.randn([20000], { generator: g }).dataSync());
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const v = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
    const r = Array.from(T.randint(3, 6, [1000], { generator: g }).dataSync());
    expect(new Set(r)).toEqual(new Set([3, 4, 5]));
    expect(T.randperm(6, { generator: g }).tolist()).toHaveLength(6);
    expect([...(T.randperm(6, { generator: g }).tolist() as number[])].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('reading values', () => {
  it('async data() and toArray() work and return copies', async () => {
    const t = T.tensor([[1, 2]]);
    expect(await t.toArray()).toEqual([[1, 2]]);
    const d = await t.data();
    d[0] = 99;
    expect(t.tolist()).toEqual([[1, 2]]);
    expect(await T.tensor(4).itemAsync()).toBe(4);
  });

  it('item() refuses tensors with more than one element', () => {
    expect(() => T.tensor([1, 2]).item()).toThrow(/2 elements cannot be converted to a scalar/);
  });

  it('prints like PyTorch', () => {
    expect(String(T.tensor([[1, 2]]))).toBe('tensor([[1., 2.]])');
    expect(String(T.tensor([1], { dtype: 'int32' }))).toBe('tensor([1], dtype=int32)');
  });
});
