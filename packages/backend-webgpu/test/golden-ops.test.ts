/**
 * Every op case of ../shared/golden/ops (values and gradients from PyTorch 1.13) in float32 on the
 * WebGPU backend: inputs are created on webgpu, results read with `await t.data()`, and the same
 * autograd package computes the gradients (its rules are tensor ops). The op mapping and the check
 * are the CPU suite's (tools/testing/golden-ops.ts).
 */
import { beforeAll, expect, it } from 'vitest';
import { compareTensorAsync, listGolden, loadGolden, type GoldenCase, type GoldenInputs } from '../../../tools/testing/golden.js';
import { goldenOpProblems } from '../../../tools/testing/golden-ops.js';
import { useWebGpuDefaultEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
beforeAll(() => {
  useWebGpuDefaultEngine(gpu);
});

/**
 * A boolean mask selects a data-dependent number of elements: its values must be on the host to
 * know the output shape, so the mask lives on the CPU backend (x stays on webgpu).
 */
async function masksToCpu(c: GoldenCase, inputs: GoldenInputs): Promise<void> {
  for (const it of ((c.args as Record<string, unknown> | undefined)?.index ?? []) as Array<Record<string, string>>) {
    if (it.type === 'mask' && it.input !== undefined) inputs[it.input] = await inputs[it.input]!.toAsync('cpu');
  }
}

const files = listGolden('ops');

describeGpu(gpu)('golden ops on webgpu (PyTorch 1.13, float32)', () => {
  it('covers all 61 op cases', () => {
    expect(files.length).toBe(61);
  });

  for (const file of files) {
    const c = loadGolden<GoldenCase>(file);
    it(`${c.name} [float32]: ${String(c.torchExpr)}`, async () => {
      const problems = await goldenOpProblems(c, 'float32', {
        compare: compareTensorAsync,
        prepareInputs: masksToCpu,
        checkOutput: (out) => expect(out.backendName).toBe('webgpu'),
      });
      expect(problems).toEqual([]);
    });
  }
});
