/**
 * Every loss case of ../shared/golden/losses (forward values and input gradients from PyTorch
 * 1.13.1), run in float32 and float64 through the loss Module classes (the case-to-Module mapping
 * and the check: tools/testing/golden-losses.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compareTensor, listGolden, loadGolden, RUN_DTYPES, type GoldenCase } from '../../../tools/testing/golden.js';
import { goldenLossProblems } from '../../../tools/testing/golden-losses.js';
import { setup } from './setup.js';

beforeAll(setup);

const files = listGolden('losses');

describe('golden losses (PyTorch 1.13)', () => {
  it('covers every loss file', () => {
    expect(files.length).toBeGreaterThanOrEqual(36);
  });

  for (const file of files) {
    const c = loadGolden<GoldenCase>(file);
    for (const dtype of RUN_DTYPES) {
      it(`${c.name} [${dtype}]`, async () => {
        expect(await goldenLossProblems(c, dtype, { compare: compareTensor })).toEqual([]);
      });
    }
  }
});
