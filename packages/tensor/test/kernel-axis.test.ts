/** The axis helpers the backends' kernels share. */
import { describe, expect, it } from 'vitest';
import { checkAxis, splitAtAxis } from '../src/index.js';

describe('kernel axis helpers', () => {
  it('splitAtAxis: products before and after the axis; a 0-d shape counts as [1]', () => {
    expect(splitAtAxis([2, 3, 4, 5], 2)).toEqual({ outer: 6, size: 4, inner: 5 });
    expect(splitAtAxis([7], 0)).toEqual({ outer: 1, size: 7, inner: 1 });
    expect(splitAtAxis([], 0)).toEqual({ outer: 1, size: 1, inner: 1 });
  });

  it('checkAxis accepts [0, rank) (0 on a 0-d tensor only when allowed) and names the problem otherwise', () => {
    expect(() => checkAxis('gather', 1, 2)).not.toThrow();
    expect(() => checkAxis('softmax', 0, 0, true)).not.toThrow();
    expect(() => checkAxis('softmax', 0, 0)).toThrow('softmax: axis 0 is out of range for a tensor of rank 0');
    expect(() => checkAxis('gather', 2, 2)).toThrow(RangeError);
    expect(() => checkAxis('gather', -1, 2)).toThrow('gather: axis -1 is out of range for a tensor of rank 2');
    expect(() => checkAxis('gather', 0.5, 2)).toThrow(RangeError);
  });
});
