/**
 * `pnpm --filter @backstep/bench run bench`: Backstep's CPU backend against TensorFlow.js (cpu,
 * wasm) and jax-js (wasm), interleaved in one process; prints a table of times, ratios and
 * fractions of the machine's measured limits, and writes it to BENCHMARKS.md at the repo root.
 * `--quick` runs fewer sizes and rounds. `--only <regexp>` runs only the cases whose title matches
 * (e.g. `--only 'MLP|n=1024'`; BENCHMARKS.md is then not written).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as B from '@backstep/backstep';
import { cnnCase, matmulCase, mlpCase, setThreads } from './cases.js';
import { measureCopy, measurePeak, measureTriad } from './hw.js';
import { optimCase, snapshotCase } from './optim.js';
import { initPeers } from './peers.js';
import { race, type Contender } from './timing.js';
import { Report } from './report.js';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new RegExp(process.argv[onlyAt + 1] ?? '', 'i') : null;
const wanted = (title: string): boolean => only === null || only.test(title);
const threads = availableParallelism();
const peers = await initPeers();
const cpu = B.getEngine().getBackend('cpu') as B.CpuBackend;
await cpu.startThreads?.();
const peak = measurePeak();
const copyGBs = measureCopy();
const triadGBs = measureTriad();
const triadDramGBs = measureTriad(40e6);
const report = new Report({ threads, peak, copyGBs, triadGBs, triadDramGBs, peers, cpu: cpus()[0]?.model ?? 'unknown', wasm: cpu.wasmInfo?.() ?? 'n/a' });
console.log(report.header());

const results = new Map<string, Map<string, number>>();
const run = async (title: string, contenders: () => Contender[], reps: number, work: { flops?: number; bytes?: number; unit?: string }): Promise<void> => {
  if (!wanted(title)) return;
  const times = await race(contenders(), { reps, rounds: quick ? 3 : 5 });
  results.set(title, times);
  report.add(title, times, work);
  console.log(report.lastLine());
};
const ratioOf = (title: string, num: string, den: string): number | undefined => {
  const t = results.get(title);
  const a = t?.get(num);
  const b = t?.get(den);
  return a === undefined || b === undefined ? undefined : a / b;
};

for (const n of quick ? [128, 512, 1024] : [64, 128, 256, 512, 1024]) {
  await run(`matmul n=${n}`, () => matmulCase(n, threads), Math.max(1, Math.min(200, Math.round(2e8 / n ** 3))), { flops: 2 * n ** 3 });
}
const mlpFlops = 3 * 2 * 128 * (784 * 256 + 256 * 256 + 256 * 10);
await run('MLP 784-256-256-10 step (b=128, Adam)', () => mlpCase(threads), 10, { flops: mlpFlops, unit: 'steps/s' });
const cnnFlops = 3 * 2 * 32 * (28 * 28 * 8 * 9 + 14 * 14 * 16 * 72 + 3136 * 10);
await run('CNN step (b=32, 2 conv + linear, Adam)', () => cnnCase(threads), 5, { flops: cnnFlops, unit: 'steps/s' });
for (const n of quick ? [1e6] : [1e6, 10e6]) {
  await run(`Adam step, ${n / 1e6}M params`, () => optimCase('adam', n, threads), n > 1e6 ? 5 : 20, { bytes: 28 * n });
  await run(`SGD momentum step, ${n / 1e6}M params`, () => optimCase('sgd', n, threads), n > 1e6 ? 5 : 20, { bytes: 20 * n });
}
const snapN = quick ? 1e6 : 10e6;
const snapTitle = `History snapshot/restore, ${snapN / 1e6}M params`;
const snap = wanted(snapTitle) ? await race(snapshotCase(snapN), { reps: 5, rounds: quick ? 3 : 5 }) : new Map<string, number>();
if (wanted(snapTitle)) {
  report.addSnapshot(snapN, snap);
  console.log(report.lastLine());
}
setThreads(threads);

const nt = `backstep-${threads}t`;
report.target('matmul n=512, one thread vs jax-js wasm', ratioOf('matmul n=512', 'jax-wasm', 'backstep-1t'), 2, '×');
report.target('matmul n=512, one thread vs tfjs wasm', ratioOf('matmul n=512', 'tfjs-wasm', 'backstep-1t'), 3, '×');
report.target(`matmul n=1024, ${threads} threads vs one`, ratioOf('matmul n=1024', 'backstep-1t', nt), 1.7, '×');
const mlp = 'MLP 784-256-256-10 step (b=128, Adam)';
const bestMlp = Math.min(results.get(mlp)?.get('backstep-1t') ?? Infinity, results.get(mlp)?.get(nt) ?? Infinity);
report.target('MLP step vs jax-js wasm (best Backstep)', (results.get(mlp)?.get('jax-wasm') ?? NaN) / bestMlp, 1.5, '×');
report.target('MLP step vs tfjs wasm (best Backstep)', (results.get(mlp)?.get('tfjs-wasm') ?? NaN) / bestMlp, 10, '×');
const adamN = quick ? 1e6 : 10e6;
for (const who of ['backstep-1t', nt]) {
  const ms = results.get(`Adam step, ${adamN / 1e6}M params`)?.get(who);
  const label = who === 'backstep-1t' ? 'one thread' : `${threads} threads`;
  report.target(`Adam over ${adamN / 1e6}M params (${label}), fraction of the one-thread WASM SIMD triad bandwidth (120 MB)`, ms === undefined ? undefined : (28 * adamN) / ms / 1e6 / triadGBs, 0.7, '%');
}
const adam1t = results.get(`Adam step, ${adamN / 1e6}M params`)?.get('backstep-1t');
report.target(`Adam over ${adamN / 1e6}M params (one thread), fraction of the WASM SIMD triad over 480 MB (DRAM)`, adam1t === undefined ? undefined : (28 * adamN) / adam1t / 1e6 / triadDramGBs, 0.7, '%');
const copyMs = snap.get('copy') ?? NaN;
const stepMs = snap.get('step') ?? NaN;
report.target('snapshot (commit + the copy-on-write it causes) vs Float32Array.set', copyMs / Math.max((snap.get('commit+step') ?? NaN) - stepMs, 1e-6), 0.9, '%');
report.target('restore (backStep + the copy-on-write it causes) vs Float32Array.set', copyMs / Math.max((snap.get('backStep+step') ?? NaN) - (snap.get('commit+step') ?? NaN) - stepMs, 1e-6), 0.9, '%');
report.note('tfjs-wasm 4.22 has no `Conv2DBackpropFilter` kernel, so it cannot train the CNN (its column is empty).');
report.note(
  `backstep-${threads}t splits matmuls of at least 2M multiply-adds into tasks that the calling thread and the worker pool claim ` +
    'as they go (see packages/backend-cpu/README.md, "Threads"), and fused optimizer steps over at least 256K elements into ranges; ' +
    'all other kernels run on the calling thread. Products under ~8 ms ' +
    'pick one or all threads per shape from their recent timings, so on a busy machine the split ones fall back to one thread.',
);
report.note(
  'The one-thread matmul targets are bound by the 128-bit WASM SIMD width: the 3×12 relaxed-FMA micro-kernel runs at ~86% of the ' +
    'measured FMA peak (packing and edges take the rest), and 3× tfjs-wasm would be above that peak. Float32 tensors live in the ' +
    'WebAssembly heap (shared memory), so the fused Adam/SGD steps read and write them in place; steps over 256K elements split ' +
    'over the worker pool. The 120 MB triad fits in a large L3 (this host has 260 MiB), so it measures cache bandwidth there; ' +
    'the 480 MB one measures DRAM. One thread of Adam streams 4 arrays in and 3 out of the L3 and pays an f32x4 square root and ' +
    'division per element: alone, over resident arrays, the loop takes 7.5–8.4 ms at 10M params (50–55% of the 120 MB triad), ' +
    'and still ~63% with the square root and division taken out, so one thread cannot reach 70% here; in this table the ' +
    'contenders\' arrays together exceed the L3, so each step also streams from DRAM.',
);

const text = report.markdown(quick ? 'pnpm --filter @backstep/bench run bench -- --quick' : 'pnpm --filter @backstep/bench run bench');
if ((!quick || process.argv.includes('--write')) && only === null) writeFileSync(fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url)), text);
console.log('\n' + text);
process.exit(0);
