/**
 * The same training script on the CPU and on WebGPU: a small MLP with nn layers, CrossEntropyLoss,
 * autograd and an optimizer from @backstep/optim. The losses agree, and a long loop on WebGPU holds
 * flat memory: engine tensors, live GPU buffers, and buffers the pool ever created.
 */
import { Adam, SGD, type Optimizer } from '@backstep/optim';
import { CrossEntropyLoss, Linear, ReLU, Sequential } from '@backstep/nn';
import { getEngine, manualSeed, tensor, type Tensor } from '@backstep/tensor';
import { beforeAll, expect, it } from 'vitest';
import { useWebGpuDefaultEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
beforeAll(() => {
  useWebGpuDefaultEngine(gpu);
});

const X = Array.from({ length: 32 }, (_, i) => ((i * 37) % 17) / 8 - 1);
const Y = [0, 1, 2, 1, 0, 2, 2, 1];

/** One training setup; the model is built on the CPU from a fixed seed and moved to `backend`. */
function setup(backend: 'cpu' | 'webgpu', makeOpt: (params: Tensor[]) => Optimizer) {
  getEngine().setBackend('cpu');
  manualSeed(7);
  const model = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
  model.to(backend);
  const opt = makeOpt(model.parameters());
  const x = tensor(X, { shape: [8, 4], backend });
  const y = tensor(Y, { dtype: 'int32', backend });
  const lossFn = new CrossEntropyLoss();
  /** One step; returns the loss tensor (kept, caller disposes). */
  const step = (): Tensor =>
    getEngine().tidy(() => {
      opt.zeroGrad();
      const loss = lossFn.call(model.call(x), y);
      loss.backward();
      opt.step();
      return loss;
    });
  return { step, model };
}

async function losses(backend: 'cpu' | 'webgpu', makeOpt: (params: Tensor[]) => Optimizer, steps: number): Promise<number[]> {
  const { step } = setup(backend, makeOpt);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = step();
    out.push(await loss.itemAsync());
    loss.dispose();
  }
  return out;
}

const OPTIMIZERS: [string, (p: Tensor[]) => Optimizer][] = [
  ['SGD with momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
  ['Adam', (p) => new Adam(p, { lr: 0.01 })],
];

describeGpu(gpu)('training on webgpu', () => {
  for (const [name, makeOpt] of OPTIMIZERS) {
    it(`the same script gives the same losses on cpu and webgpu (${name})`, async () => {
      const cpu = await losses('cpu', makeOpt, 12);
      const web = await losses('webgpu', makeOpt, 12);
      expect(web[11]).toBeLessThan(web[0] as number);
      web.forEach((v, i) => expect(Math.abs(v - (cpu[i] as number))).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[i] as number))));
    });
  }

  it('a long training loop holds flat GPU memory (engine, live buffers, pool)', async () => {
    const backend = gpu.backend!;
    const { step } = setup('webgpu', (p) => new Adam(p, { lr: 0.01 }));
    const run = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const loss = step();
        if (i % 10 === 9) await loss.data(); // reads now and then, as a loop printing progress does
        loss.dispose();
      }
      await backend.sync();
    };
    await run(20); // warm-up: optimizer state, pipelines, pool
    const engine0 = getEngine().memory();
    const mem0 = backend.memory();
    const pool0 = backend.stats().pool;
    await run(100);
    const engine1 = getEngine().memory();
    const pool1 = backend.stats().pool;
    expect(engine1.numTensors).toBe(engine0.numTensors);
    expect(engine1.numBytes).toBe(engine0.numBytes);
    expect(backend.memory()).toEqual(mem0);
    expect(pool1.created).toBe(pool0.created);
    expect(pool1.inUseBytes).toBe(pool0.inUseBytes);
    expect(pool1.freeBytes + pool1.inUseBytes).toBe(pool0.freeBytes + pool0.inUseBytes);
  });
});
