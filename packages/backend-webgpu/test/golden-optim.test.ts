/**
 * Optimizer trajectories of ../shared/golden/optim (PyTorch 1.13) in float32 on the WebGPU backend:
 * parameters live on webgpu, the golden gradients are fed every step, and the parameters after each
 * step are read with `await p.data()`. The optimizers are @backstep/optim's, unchanged (composed
 * tensor ops; no fused WebGPU kernels). LBFGS (closure-driven, reads scalars synchronously) and the
 * final state dicts (read synchronously by `stateDict()`) are left to a later issue.
 */
import * as optim from '@backstep/optim';
import { getEngine, tensor, type Tensor } from '@backstep/tensor';
import { beforeAll, expect, it } from 'vitest';
import { compareValues, flatData, listGolden, loadGolden, type Tol } from '../../../tools/testing/golden.js';
import { useWebGpuDefaultEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
beforeAll(() => {
  useWebGpuDefaultEngine(gpu);
});

interface Trajectory {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  paramGroups: Array<{ params: number[] } & Record<string, unknown>>;
  paramShapes: number[][];
  initialParams: unknown[];
  steps: number;
  tolerance: { float32: Tol };
  float32: { grads: unknown[][]; params: unknown[][] };
}

type Ctor = new (params: never, options: never) => optim.Optimizer<object>;
const CTORS = optim as unknown as Record<string, Ctor | undefined>;

const files = listGolden('optim').filter((f) => !f.includes('/lbfgs_'));

describeGpu(gpu)('golden optimizer trajectories on webgpu (PyTorch 1.13, float32)', () => {
  for (const file of files) {
    const c = loadGolden<Trajectory>(file);
    it(`${c.name} [float32]`, async () => {
      const Ctor = CTORS[c.optimizer];
      if (Ctor === undefined) throw new Error(`no optimizer ${c.optimizer} in @backstep/optim`);
      const mk = (data: unknown, i: number): Tensor => tensor(flatData(data), { shape: c.paramShapes[i]!, dtype: 'float32', backend: 'webgpu' });
      const params = c.initialParams.map((d, i) => mk(d, i).requiresGrad_());
      const groups = c.paramGroups.map((g) => ({ ...g, params: g.params.map((i) => params[i]!) }));
      const opt = new Ctor(groups as never, c.options as never);
      const problems: string[] = [];
      for (let s = 0; s < c.steps && problems.length === 0; s++) {
        params.forEach((p, i) => {
          p.grad = mk(c.float32.grads[s]![i], i);
        });
        getEngine().tidy(() => {
          opt.step();
        });
        for (const [i, p] of params.entries()) {
          const m = compareValues(Array.from(await p.data()), flatData(c.float32.params[s]![i]), c.tolerance.float32, `step ${s} param ${i}`);
          if (m) problems.push(m);
        }
        opt.zeroGrad();
      }
      expect(params.every((p) => p.backendName === 'webgpu')).toBe(true);
      expect(problems).toEqual([]);
    });
  }
});
