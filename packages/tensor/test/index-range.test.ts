import { describe, expect, it } from 'vitest';
import { checkGatherIndexShapes, indexOutOfBoundsError, ShapeError } from '../src/index.js';

describe('indexOutOfBoundsError', () => {
  it('is a RangeError naming the op, the index, the dim and its size', () => {
    const e = indexOutOfBoundsError('gather', 5, 1, 3);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('gather: index 5 is out of bounds for dimension 1 with size 3');
    expect(indexOutOfBoundsError('indexSelect', -1, 0, 4).message).toBe('indexSelect: index -1 is out of bounds for dimension 0 with size 4');
  });
});

describe('checkGatherIndexShapes', () => {
  it('accepts an index of the same rank, no larger than the input outside the axis', () => {
    // x [2, 3], axis 1: index [2, 5] may be longer along the axis, [1, 3] is smaller elsewhere
    expect(() => checkGatherIndexShapes('gather', [2, 3], [2, 5], 1)).not.toThrow();
    expect(() => checkGatherIndexShapes('gather', [2, 3], [1, 3], 0)).not.toThrow();
    // a 0-d input takes a 0-d or 1-d index
    expect(() => checkGatherIndexShapes('gather', [], [], 0)).not.toThrow();
    expect(() => checkGatherIndexShapes('gather', [], [4], 0)).not.toThrow();
    // scatter: index [2, 2] fits inside src [2, 3]
    expect(() => checkGatherIndexShapes('scatter', [2, 3], [2, 2], 1, [2, 3])).not.toThrow();
  });

  it('refuses another rank', () => {
    expect(() => checkGatherIndexShapes('gather', [2, 3], [6], 0)).toThrow(ShapeError);
    expect(() => checkGatherIndexShapes('gather', [2, 3], [6], 0)).toThrow('gather: index [6] must have the same number of dims as the input [2, 3]');
    expect(() => checkGatherIndexShapes('gather', [], [1, 1], 0)).toThrow('gather: index [1, 1] must have the same number of dims as the input []');
  });

  it('refuses an index larger than the input outside the axis, naming the dim', () => {
    expect(() => checkGatherIndexShapes('gather', [2, 3], [3, 1], 1)).toThrow('gather: index [3, 1] is larger than the input [2, 3] in dimension 0');
  });

  it('refuses an index larger than src, or of another rank than src', () => {
    expect(() => checkGatherIndexShapes('scatter', [2, 3], [2, 3], 1, [2, 2])).toThrow('scatter: index [2, 3] is larger than src [2, 2] in dimension 1');
    expect(() => checkGatherIndexShapes('scatterAdd', [2, 3], [1, 1], 0, [1, 1, 1])).toThrow(
      'scatterAdd: src [1, 1, 1] must have the same number of dims as index [1, 1]',
    );
  });
});
