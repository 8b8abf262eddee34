/**
 * Matmul and training-step throughput on the CPU and WebGPU backends, side by side in one run.
 * Not a test: it prints numbers. On SwiftShader (a software Vulkan driver) the WebGPU column only
 * shows that the plumbing works; on a real GPU it shows the backend's speed.
 *
 *   pnpm --filter @backstep/backend-webgpu bench          # or:
 *   node --conditions=source --import tsx packages/backend-webgpu/bench/matmul.ts [--quick]
 */
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { CrossEntropyLoss, Linear, ReLU, Sequential } from '@backstep/nn';
import { SGD } from '@backstep/optim';
import { getEngine, manualSeed, randn, tensor, type Tensor } from '@backstep/tensor';
import { registerWebGpuBackend } from '../src/index.js';
import { createNodeWebGpuBackend } from '../src/node.js';

const quick = process.argv.includes('--quick');
const engine = getEngine();
registerCpuBackend(engine);
registerAutograd(engine);
const gpu = await createNodeWebGpuBackend();
registerWebGpuBackend(engine, gpu);
const info = gpu.adapterInfo;
const BACKENDS = ['cpu', 'webgpu'] as const;

/** Runs `fn` until `minMs` passed (after a warm-up) and returns calls per second; `fn` resolves when its work is done. */
async function rate(fn: () => Promise<void>, minMs = quick ? 150 : 600): Promise<number> {
  await fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || n < 2) {
    await fn();
    n++;
  }
  return (n * 1000) / (performance.now() - t0);
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => (typeof c === 'number' ? c.toFixed(c < 10 ? 2 : 1) : c).padStart(i === 0 ? 18 : 12)).join('');
}

console.log(`webgpu adapter: ${info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'unknown'}`);
console.log('\nmatmul [n, n] @ [n, n], float32: GFLOP/s (8 products per timed call, then one read)');
console.log(row(['n', ...BACKENDS, 'webgpu/cpu']));
for (const n of quick ? [64, 128] : [64, 128, 256, 512]) {
  const rates: number[] = [];
  for (const backend of BACKENDS) {
    const a = randn([n, n], { backend });
    const b = randn([n, n], { backend });
    const r = await rate(async () => {
      const outs: Tensor[] = [];
      for (let i = 0; i < 8; i++) outs.push(a.matmul(b));
      await outs[7]!.data();
      for (const o of outs) o.dispose();
    });
    rates.push((r * 8 * 2 * n * n * n) / 1e9);
    a.dispose();
    b.dispose();
  }
  console.log(row([n, ...rates, (rates[1] as number) / (rates[0] as number)]));
}

console.log('\ntraining step (MLP 64-256-256-10, batch 128, CrossEntropyLoss, SGD momentum): steps/s');
console.log(row(['', ...BACKENDS, 'webgpu/cpu']));
const stepRates: number[] = [];
for (const backend of BACKENDS) {
  engine.setBackend('cpu');
  manualSeed(0);
  const model = new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 256), new ReLU(), new Linear(256, 10));
  model.to(backend);
  const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = randn([128, 64], { backend });
  const y = tensor(Array.from({ length: 128 }, (_, i) => i % 10), { dtype: 'int32', backend });
  const lossFn = new CrossEntropyLoss();
  const r = await rate(async () => {
    const loss = engine.tidy(() => {
      opt.zeroGrad();
      const l = lossFn.call(model.call(x), y);
      l.backward();
      opt.step();
      return l;
    });
    await loss.data();
    loss.dispose();
  });
  stepRates.push(r);
}
console.log(row(['steps/s', ...stepRates, (stepRates[1] as number) / (stepRates[0] as number)]));
const s = gpu.stats();
console.log(`\nwebgpu: ${s.dispatches} dispatches in ${s.submits} submits, ${s.pipelines.pipelines} pipelines, pool created ${s.pool.created} buffers (reused ${s.pool.reused} times)`);
process.exit(0);
