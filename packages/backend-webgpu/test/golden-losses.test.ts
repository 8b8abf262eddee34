/**
 * Every loss case of ../shared/golden/losses (forward values and input gradients from PyTorch
 * 1.13.1) in float32 on the WebGPU backend, through the same loss Module classes and the same check
 * as on the CPU (tools/testing/golden-losses.ts), reading with `await t.data()`.
 */
import { beforeAll, expect, it } from 'vitest';
import { compareTensorAsync, listGolden, loadGolden, type GoldenCase } from '../../../tools/testing/golden.js';
import { goldenLossProblems } from '../../../tools/testing/golden-losses.js';
import { useWebGpuDefaultEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
beforeAll(() => {
  useWebGpuDefaultEngine(gpu);
});

const files = listGolden('losses');

describeGpu(gpu)('golden losses on webgpu (PyTorch 1.13, float32)', () => {
  it('covers every loss file', () => {
    expect(files.length).toBeGreaterThanOrEqual(36);
  });

  for (const file of files) {
    const c = loadGolden<GoldenCase>(file);
    it(`${c.name} [float32]`, async () => {
      const problems = await goldenLossProblems(c, 'float32', {
        compare: compareTensorAsync,
        checkOutput: (out) => expect(out.backendName).toBe('webgpu'),
      });
      expect(problems).toEqual([]);
    });
  }
});
