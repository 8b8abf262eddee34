/**
 * Optimizer trajectories of ../shared/golden/optim (PyTorch 1.13) in float32 on the WebGPU backend:
 * parameters live on webgpu, the golden gradients are fed every step, and the parameters after each
 * step are read with `await p.data()`; at the end the optimizer's state dict, read asynchronously
 * (`toPyTorchStateDictAsync`), is compared with PyTorch's. The optimizers are @backstep/optim's,
 * unchanged. SGD, Adam and AdamW run twice: with the fused WGSL kernels (`sgdStep`, `adamStep`, in
 * place) and on an engine without them (composed tensor ops); the other optimizers have no fused
 * kernel, so their one run is the composed path. LBFGS is in golden-lbfgs.test.ts.
 */
import * as optim from '@backstep/optim';
import { Tensor } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { listGolden, loadGolden } from '../../../tools/testing/golden.js';
import { runTrajectory, type TrajectoryCase, type TrajectoryRunner } from '../../../tools/testing/golden-optim.js';
import { webGpuEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
const engines = { fused: webGpuEngine(gpu, { fused: true }), composed: webGpuEngine(gpu, { fused: false }) };

type Ctor = new (params: never, options: never) => optim.Optimizer<object>;
const CTORS = optim as unknown as Record<string, Ctor | undefined>;

/** The optimizers with a fused kernel (the others only have the composed path). */
const FUSED: Record<string, string> = { SGD: 'sgdStep', Adam: 'adamStep', AdamW: 'adamStep' };

const files = listGolden('optim').filter((f) => !f.includes('/lbfgs_'));

/** Disposes every tensor inside a (state-dict) value. */
function disposeTensors(v: unknown): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeTensors);
  else if (v !== null && typeof v === 'object') Object.values(v).forEach(disposeTensors);
}

/** Runs a case on webgpu: steps in tidy scopes, reads with `await`, the parameters must stay on webgpu. */
function runCase(c: TrajectoryCase, path: 'fused' | 'composed'): Promise<string[]> {
  const Ctor = CTORS[c.optimizer];
  if (Ctor === undefined) throw new Error(`no optimizer ${c.optimizer} in @backstep/optim`);
  const engine = engines[path];
  const runner: TrajectoryRunner = {
    engine,
    backend: 'webgpu',
    create: (groups, options) => new Ctor(groups as never, options as never),
    step: (opt) => {
      engine.tidy(() => {
        opt.step();
      });
    },
    read: (t) => t.data(),
    pytorchStateDict: async (opt) => {
      const sd = opt.stateDict();
      const pt = await optim.toPyTorchStateDictAsync(sd);
      disposeTensors(sd.state);
      return pt;
    },
    checkParams: (params) => (params.every((p) => p.backendName === 'webgpu') ? [] : ['a parameter left the webgpu backend']),
  };
  return runTrajectory(c, 'float32', runner);
}

describeGpu(gpu)('golden optimizer trajectories on webgpu (PyTorch 1.13, float32)', () => {
  it('the fused engine has the fused kernels, the composed one does not', () => {
    for (const k of ['sgdStep', 'adamStep']) {
      expect(engines.fused.hasKernel(k, 'webgpu')).toBe(true);
      expect(engines.composed.hasKernel(k, 'webgpu')).toBe(false);
    }
  });

  for (const file of files) {
    const c = loadGolden<TrajectoryCase>(file);
    const paths = FUSED[c.optimizer] !== undefined ? (['fused', 'composed'] as const) : (['composed'] as const);
    for (const path of paths) {
      it(`${c.name} [float32, ${path}]: params every step and the final state dict`, async () => {
        const errors = await runCase(c, path);
        expect(errors, errors.join('\n')).toEqual([]);
      });
    }
  }
});
