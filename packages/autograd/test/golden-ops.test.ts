/**
 * Every op case of ../shared/golden/ops (values and gradients from PyTorch 1.13), in float32
 * and float64, on the CPU backend (the op mapping and the check: tools/testing/golden-ops.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { registerAutograd } from '../src/index.js';
import { compareTensor, listGolden, loadGolden, RUN_DTYPES, type GoldenCase } from '../../../tools/testing/golden.js';
import { goldenOpProblems } from '../../../tools/testing/golden-ops.js';

beforeAll(() => {
  registerCpuBackend();
  registerAutograd();
});

const files = listGolden('ops');

describe('golden ops (PyTorch 1.13)', () => {
  it('covers all 61 op cases', () => {
    expect(files.length).toBe(61);
  });

  for (const file of files) {
    const c = loadGolden<GoldenCase>(file);
    for (const dtype of RUN_DTYPES) {
      it(`${c.name} [${dtype}]: ${String(c.torchExpr)}`, async () => {
        expect(await goldenOpProblems(c, dtype, { compare: compareTensor })).toEqual([]);
      });
    }
  }
});
