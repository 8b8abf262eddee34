/**
 * Development helper (not part of the benchmark table): `pnpm --filter @backstep/bench run profile -- <mode>`.
 *
 * - `kernels` — the MLP training step of the benchmark on one thread (`T=2`: the worker pool):
 *   time per step and per kernel, and the time outside kernels (engine, autograd, tidy).
 * - `threads [mlp | <m>x<k>x<n>]` — 1 vs 2 threads interleaved in rounds (min and median of
 *   the rounds), with the pool's counters: how many tasks the workers ran, how often and how
 *   long the calling thread waited for them. `NO_ADAPT=1` always splits (no fallback to one thread).
 *
 * Timings on a shared machine are noisy: compare numbers from one run, and repeat.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import * as B from '@backstep/backstep';
import { randomData, randomLabels } from './peers.js';
import { poolStats, setSoloFallback } from '../../packages/backend-cpu/src/wasm/thread-pool.js';

const mode = process.argv[2] ?? 'kernels';
const cpu = B.getEngine().getBackend('cpu') as B.CpuBackend;
const eng = B.getEngine();
if (process.env['NO_ADAPT']) setSoloFallback(false);

function mlpStep(): () => void {
  const BATCH = 128;
  const model = new B.nn.Sequential(new B.nn.Linear(784, 256), new B.nn.ReLU(), new B.nn.Linear(256, 256), new B.nn.ReLU(), new B.nn.Linear(256, 10));
  const opt = new B.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new B.nn.CrossEntropyLoss();
  const x = B.tensor(randomData(BATCH * 784, 3), { shape: [BATCH, 784] });
  const y = B.tensor(randomLabels(BATCH, 10, 4), { shape: [BATCH], dtype: 'int32' });
  return () => B.tidy(() => { opt.zeroGrad(); lossFn.call(model.call(x), y).backward(); opt.step(); });
}

function matmulStep(spec: string): () => void {
  const [m, k, n] = spec.split('x').map(Number) as [number, number, number];
  const a = B.tensor(randomData(m * k, 1), { shape: [1, m, k] });
  const b = B.tensor(randomData(k * n, 2), { shape: [1, k, n] });
  return () => { const z = eng.run('matmul', [a, b], { transposeA: false, transposeB: false }); z.dataSync(); z.dispose(); };
}

if (mode === 'kernels') {
  const threads = Number(process.env['T'] ?? 1);
  cpu.setThreads(threads);
  if (threads > 1) await cpu.startThreads();
  const step = mlpStep();
  const kt = new Map<string, { n: number; ms: number }>();
  for (const name of eng.registry.kernelsFor('cpu')) {
    const k = eng.registry.get(name, 'cpu');
    eng.registry.unregister(name, 'cpu');
    eng.registry.register({
      ...k,
      kernelFunc: (args) => {
        const t0 = performance.now();
        try {
          return k.kernelFunc(args);
        } finally {
          const c = kt.get(name) ?? { n: 0, ms: 0 };
          c.n++;
          c.ms += performance.now() - t0;
          kt.set(name, c);
        }
      },
    });
  }
  for (let i = 0; i < 20; i++) step();
  kt.clear();
  let gcMs = 0;
  let gcs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      gcs++;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const steps = Number(process.env['N'] ?? 300);
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps / 5; i++) step();
    const ms = performance.now() - t0;
    best = Math.min(best, ms / (steps / 5));
    total += ms;
  }
  let inKernels = 0;
  console.log(`MLP step on ${threads} thread(s): best round ${best.toFixed(3)} ms/step, average ${(total / steps).toFixed(3)} ms/step`);
  for (const [k, c] of [...kt].sort((a, b) => b[1].ms - a[1].ms)) {
    inKernels += c.ms;
    console.log(`  ${k.padEnd(14)} ${String(c.n / steps).padStart(4)} calls ${((c.ms / steps) * 1000).toFixed(1).padStart(8)} us`);
  }
  await new Promise((r) => setTimeout(r, 10)); // deliver the GC entries
  gc.disconnect();
  console.log(`  outside kernels (engine, autograd, tidy, GC): ${(((total - inKernels) / steps) * 1000).toFixed(0)} us/step, ` +
    `of which garbage collection ${((gcMs / steps) * 1000).toFixed(0)} us/step (${gcs} collections)`);
} else if (mode === 'threads') {
  cpu.setThreads(2);
  await cpu.startThreads();
  const which = process.argv[3] ?? 'mlp';
  const step = which === 'mlp' ? mlpStep() : matmulStep(which);
  const reps = Number(process.env['REPS'] ?? 10);
  const rounds = Number(process.env['ROUNDS'] ?? 15);
  const times: Record<number, number[]> = { 1: [], 2: [] };
  for (let i = 0; i < 3; i++) for (const t of [1, 2]) { cpu.setThreads(t); step(); }
  poolStats(true);
  for (let r = 0; r < rounds; r++) {
    for (const t of [1, 2]) {
      cpu.setThreads(t);
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) step();
      (times[t] as number[]).push((performance.now() - t0) / reps);
    }
  }
  const sorted = (v: number[]): number[] => [...v].sort((a, b) => a - b);
  const min = (v: number[]): number => sorted(v)[0] as number;
  const med = (v: number[]): number => sorted(v)[v.length >> 1] as number;
  const [one, two] = [times[1] as number[], times[2] as number[]];
  console.log(`${which}: 1 thread min ${min(one).toFixed(3)} med ${med(one).toFixed(3)} ms | 2 threads min ${min(two).toFixed(3)} med ${med(two).toFixed(3)} ms | ` +
    `1t/2t min ${(min(one) / min(two)).toFixed(2)}× med ${(med(one) / med(two)).toFixed(2)}×`);
  const ps = poolStats();
  console.log(`  pool: ${ps.jobs} jobs, workers ran ${((100 * ps.workerTasks) / Math.max(1, ps.tasks)).toFixed(0)}% of their tasks, ` +
    `${ps.waits} waits (${((ps.waitMs / Math.max(1, ps.waits)) * 1000).toFixed(0)} us each), ${ps.soloSpells} fallbacks to one thread`);
} else {
  console.error(`unknown mode '${mode}' (kernels | threads)`);
}
process.exit(0);
