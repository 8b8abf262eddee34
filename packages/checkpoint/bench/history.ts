/**
 * Benchmark (not a test): back-stepping cost for N parameters with Adam state (param + expAvg +
 * expAvgSq = 12 bytes per parameter), as ratios to a plain typed-array copy
 * (`Float32Array.prototype.set`) of the same bytes measured in the same run.
 *
 * Snapshots share buffers copy-on-write, so `commit()`/`backStep()` copy nothing; the copy is
 * paid by the next in-place (fused) optimizer step, which must copy the buffers a snapshot still
 * shares. Both are printed: commit/restore time, and the extra time of a training step that
 * follows a commit (vs the same step without history).
 *
 * Run: node --conditions=source --import tsx packages/checkpoint/bench/history.ts [millions...]
 */
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Module, Parameter } from '@backstep/nn';
import { Adam } from '@backstep/optim';
import { randn } from '@backstep/tensor';
import { History } from '../src/index.js';

registerCpuBackend();

class Flat extends Module {
  w: Parameter;
  constructor(n: number) {
    super();
    this.w = new Parameter(randn([n]));
  }
}

function timeMs(fn: () => void, reps: number): number {
  fn();
  fn(); // warm-up (fills the buffer pool)
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const millions of sizes.length ? sizes : [1, 10]) {
  const n = Math.round(millions * 1e6);
  const model = new Flat(n);
  const opt = new Adam([model.w], { lr: 1e-3 });
  model.w.grad = randn([n]);
  opt.step();
  const history = new History({ model, optimizer: opt }, { capacity: 2 });
  const bytes = 12 * n;
  const src = new Float32Array(3 * n).fill(1);
  const dst = new Float32Array(3 * n);
  const reps = millions >= 10 ? 5 : 20;
  const copy = timeMs(() => dst.set(src), reps);
  const commit = timeMs(() => { history.commit(); }, reps);
  const restore = timeMs(() => { history.backStep(); }, reps);
  const step = timeMs(() => opt.step(), reps);
  const stepAfterCommit = timeMs(() => { history.commit(); opt.step(); }, reps);
  const cow = Math.max(stepAfterCommit - step, 1e-6);
  const pct = (ms: number) => `${(100 * copy / ms).toFixed(0)}% of copy bandwidth`;
  console.log(`${millions}M params + Adam state (${(bytes / 1e6).toFixed(0)} MB), copy = Float32Array.set of the same bytes:`);
  console.log(`  copy                         ${copy.toFixed(2).padStart(8)} ms  (${(bytes / 1e6 / copy).toFixed(1)} GB/s)`);
  console.log(`  History.commit               ${commit.toFixed(2).padStart(8)} ms  (${pct(commit)})`);
  console.log(`  History.backStep             ${restore.toFixed(2).padStart(8)} ms  (${pct(restore)})`);
  console.log(`  Adam step                    ${step.toFixed(2).padStart(8)} ms`);
  console.log(`  commit + Adam step           ${stepAfterCommit.toFixed(2).padStart(8)} ms  (copy-on-write cost ${cow.toFixed(2)} ms = ${pct(cow)})`);
  history.clear();
}
