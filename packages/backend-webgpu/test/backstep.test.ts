/**
 * Back-stepping on WebGPU: History snapshots (copy-on-write buffer sharing) of a webgpu model and
 * its Adam state; after `backStep()`, re-running the same step gives bit-identical parameters. With
 * the fused `adamStep` kernel (which writes in place after `ensureExclusive()`, so the snapshot's
 * shared buffers are copied first) and with the composed path (new buffers every step).
 */
import { History } from '@backstep/checkpoint';
import { CrossEntropyLoss, Linear, ReLU, Sequential } from '@backstep/nn';
import { Adam } from '@backstep/optim';
import { manualSeed, tensor } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { useWebGpuDefaultEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();

describeGpu(gpu)('back-stepping on webgpu', () => {
  for (const fused of [true, false]) {
    it(`backStep() restores params and optimizer state exactly; the retried step is bit-identical (${fused ? 'fused adamStep' : 'composed'})`, async () => {
      const engine = useWebGpuDefaultEngine(gpu, { fused });
      expect(engine.hasKernel('adamStep', 'webgpu')).toBe(fused);
      engine.setBackend('cpu');
      manualSeed(3);
      const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
      model.to('webgpu');
      engine.setBackend('webgpu');
      const optimizer = new Adam(model.parameters(), { lr: 0.05 });
      const x = tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), { shape: [6, 4] });
      const y = tensor([0, 1, 2, 2, 1, 0], { dtype: 'int32' });
      const lossFn = new CrossEntropyLoss();
      const step = (): void => {
        engine.tidy(() => {
          optimizer.zeroGrad();
          lossFn.call(model.call(x), y).backward();
          optimizer.step();
        });
      };
      const snapshot = async (): Promise<number[][]> => Promise.all(model.parameters().map(async (p) => Array.from(await p.data())));
      step();
      step();
      const history = new History({ model, optimizer }, { capacity: 2 });
      history.commit();
      const before = await snapshot();
      step();
      const once = await snapshot();
      expect(once).not.toEqual(before);
      history.backStep();
      expect(await snapshot()).toEqual(before);
      step();
      expect(await snapshot()).toEqual(once);
      expect(model.parameters().every((p) => p.backendName === 'webgpu')).toBe(true);
    });
  }
});
