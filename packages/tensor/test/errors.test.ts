import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

describe('bad input gets a clear error', () => {
  it('shapes that do not broadcast name both shapes', () => {
    expect(() => T.add(T.zeros([2, 3]), T.zeros([4]))).toThrow(/add: shapes \[2, 3\] and \[4\] cannot be broadcast/);
    expect(() => T.zeros([2, 3]).mul(T.zeros([3, 2]))).toThrow(T.ShapeError);
  });

  it('shapes that do not multiply name both shapes', () => {
    expect(() => T.matmul(T.zeros([2, 3]), T.zeros([4, 5]))).toThrow(/matmul: shapes \[2, 3\] and \[4, 5\] cannot be multiplied \(3 != 4\)/);
    expect(() => T.mm(T.zeros([2, 3]), T.zeros([2, 3]))).toThrow(/2x3 and 2x3/);
    expect(() => T.linear(T.zeros([2, 3]), T.zeros([4, 5]))).toThrow(/cannot be multiplied/);
  });

  it('dims out of range name the valid range', () => {
    expect(() => T.zeros([2, 3]).sum(2)).toThrow(/expected to be in range of \[-2, 1\], but got 2/);
    expect(() => T.zeros([2, 3]).transpose(0, -3)).toThrow(RangeError);
    expect(() => T.zeros([2]).select(0, 2)).toThrow(/index 2 is out of bounds for dimension 0 with size 2/);
    expect(() => T.zeros([2]).index(0, 0)).toThrow(/too many indices/);
  });

  it('dtype mismatches are refused', () => {
    expect(() => T.where(T.zeros([2]), T.ones([2]), 0)).toThrow(/condition to be a bool tensor/);
    expect(() => T.mean(T.ones([2], { dtype: 'int32' }))).toThrow(/floating point/);
    expect(() => T.gather(T.ones([2]), 0, T.zeros([2]))).toThrow(/int32/);
    expect(() => T.zeros([2]).to('float16' as never)).toThrow(/Backend 'float16' is not registered/);
  });

  it('reshape to a wrong size names the shapes', () => {
    expect(() => T.zeros([2, 3]).reshape(4, 2)).toThrow(/shape \[4, 2\] is invalid for input of size 6/);
    expect(() => T.zeros([2, 3]).reshape(-1, -1)).toThrow(/only one dimension can be inferred/);
  });

  it('reading a disposed tensor throws', async () => {
    const t = T.ones([2]);
    t.dispose();
    expect(() => t.dataSync()).toThrow(/has been disposed/);
    await expect(t.data()).rejects.toThrow(/has been disposed/);
    expect(() => t.add(1)).toThrow(T.DisposedError);
  });

  it('a missing kernel names the op and the backend', () => {
    const engine = new T.Engine();
    expect(() => T.zeros([1], { engine })).toThrow(/No backend is registered/);
  });

  it('out-of-range gather indices are refused, not read', () => {
    expect(() => T.gather(T.ones([3]), 0, T.tensor([3], { dtype: 'int32' })).dataSync()).toThrow(/out of|range/i);
  });

  it('bad in-place updates leave the tensor unchanged', () => {
    const t = T.tensor([1, 2, 3]);
    expect(() => t.add_(T.ones([2, 3]))).toThrow(/doesn't match the broadcast shape/);
    expect(t.tolist()).toEqual([1, 2, 3]);
  });
});
