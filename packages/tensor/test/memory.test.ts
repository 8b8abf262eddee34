import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

describe('memory: dispose, tidy, keep, memory()', () => {
  it('dispose releases the buffer and is idempotent', () => {
    const before = T.memory();
    const t = T.ones([100]);
    expect(T.memory().numTensors).toBe(before.numTensors + 1);
    expect(T.memory().numBytes).toBe(before.numBytes + 400);
    t.dispose();
    t.dispose();
    expect(T.memory()).toMatchObject({ numTensors: before.numTensors, numBytes: before.numBytes });
  });

  it('views share a buffer that lives until the last view is disposed', () => {
    const before = T.memory();
    const a = T.ones([2, 3]);
    const b = a.reshape(3, 2);
    expect(T.memory().numDataBuffers).toBe(before.numDataBuffers + 1);
    a.dispose();
    expect(b.tolist()).toEqual([[1, 1], [1, 1], [1, 1]]);
    b.dispose();
    expect(T.memory().numDataBuffers).toBe(before.numDataBuffers);
  });

  it('tidy disposes intermediates and keeps returned and kept tensors', () => {
    const before = T.memory().numTensors;
    let kept: T.Tensor | undefined;
    const out = T.tidy(() => {
      const a = T.ones([4]);
      const b = a.mul(2).add(1);
      kept = T.keep(a.add(10));
      return { b, list: [b.sum()] };
    });
    expect(out.b.tolist()).toEqual([3, 3, 3, 3]);
    expect(out.list[0]!.item()).toBe(12);
    expect(kept!.tolist()).toEqual([11, 11, 11, 11]);
    expect(T.memory().numTensors).toBe(before + 3);
    T.dispose(out, kept);
    expect(T.memory().numTensors).toBe(before);
  });

  it('tidy cleans up when the function throws', () => {
    const before = T.memory().numTensors;
    expect(() => T.tidy(() => {
      T.ones([3]).add(1);
      throw new Error('boom');
    })).toThrow('boom');
    expect(T.memory().numTensors).toBe(before);
  });

  it('in-place updates keep identity and do not grow memory', () => {
    const w = T.zeros([1000]);
    const before = T.memory();
    for (let i = 0; i < 50; i++) T.tidy(() => { w.add_(T.ones([1000]).mul(0.5)); });
    expect(w.dataSync()[0]).toBe(25);
    expect(T.memory()).toMatchObject({ numTensors: before.numTensors, numBytes: before.numBytes });
  });
});

describe('ensureExclusive (copy-on-write before in-place kernels)', () => {
  it('copies a shared buffer so the other holder keeps its values', () => {
    const a = T.tensor([1, 2, 3]);
    const view = a.reshape(3);
    const shared = a.dataId;
    a.ensureExclusive();
    expect(a.dataId).not.toBe(shared);
    expect(a.tolist()).toEqual([1, 2, 3]);
    expect(view.dataId).toBe(shared);
    const before = a.dataId;
    a.ensureExclusive();
    expect(a.dataId).toBe(before);
    T.dispose(a, view);
  });
});
