/**
 * Adam step throughput on the CPU backend, against a plain `Float32Array` copy measured in the
 * same run. Not a test: run it with
 *
 *   node --conditions=source --import tsx packages/optim/bench/adam-step.ts
 *
 * For 1M and 10M float32 parameters it prints the time per `optimizer.step()`, the effective
 * bandwidth counting 28 bytes per parameter (read param, grad, expAvg, expAvgSq; write param,
 * expAvg, expAvgSq), and the ratio to `dst.set(src)` over the same bytes, in two readings:
 *  - "copy 28 B/param": copying 28·N bytes (bandwidth = bytes copied / time);
 *  - "copy 14 B/param": copying 14·N bytes, i.e. 28·N bytes read + written, the same memory
 *    traffic as the Adam step (bandwidth = bytes read + written / time). This is the stricter one.
 * The composed (unfused) path is timed too, for 1M parameters.
 */
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Engine, tensor, type Tensor } from '@backstep/tensor';
import { Adam } from '../src/index.js';

const BYTES_PER_PARAM = 28;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function randomArray(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    a[i] = ((x >>> 0) / 4294967296 - 0.5) * 0.1;
  }
  return a;
}

/** Median seconds per call of `fn` over `reps` timed calls after `warmup` untimed ones. */
function time(fn: () => void, reps: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(ts);
}

function adamStepTime(n: number, fused: boolean, reps: number): number {
  const engine = new Engine();
  registerCpuBackend(engine, { fused });
  const p: Tensor = tensor(randomArray(n, 1), { engine, requiresGrad: true });
  p.grad = tensor(randomArray(n, 2), { engine });
  const opt = new Adam([p], { lr: 1e-3 });
  const t = time(() => opt.step(), reps);
  opt.dispose();
  p.dispose();
  return t;
}

function copyTime(floats: number, reps: number): number {
  const src = randomArray(floats, 3);
  const dst = new Float32Array(floats);
  return time(() => dst.set(src), reps);
}

const gbps = (bytes: number, s: number): string => (bytes / s / 1e9).toFixed(2);
const ms = (s: number): string => (s * 1e3).toFixed(2);

console.log(`Adam step (float32, fused CPU kernel) vs Float32Array copy — node ${process.version}`);
for (const n of [1_000_000, 10_000_000]) {
  const reps = n >= 10_000_000 ? 9 : 31;
  const adam = adamStepTime(n, true, reps);
  const copy28 = copyTime(7 * n, reps);
  const copy14 = copyTime(3.5 * n, reps);
  const bytes = BYTES_PER_PARAM * n;
  console.log(`\nN = ${n.toLocaleString('en-US')} parameters`);
  console.log(`  adam step (fused)   ${ms(adam).padStart(8)} ms   ${gbps(bytes, adam).padStart(6)} GB/s (28 B/param)`);
  console.log(
    `  copy 28 B/param     ${ms(copy28).padStart(8)} ms   ${gbps(bytes, copy28).padStart(6)} GB/s copied   ` +
      `adam/copy = ${((copy28 / adam) * 100).toFixed(0)}%`,
  );
  console.log(
    `  copy 14 B/param     ${ms(copy14).padStart(8)} ms   ${gbps(bytes, copy14).padStart(6)} GB/s moved    ` +
      `adam/copy = ${((copy14 / adam) * 100).toFixed(0)}%  (same read+write traffic)`,
  );
  if (n <= 1_000_000) {
    const composed = adamStepTime(n, false, 9);
    console.log(`  adam step (composed) ${ms(composed).padStart(7)} ms   ${gbps(bytes, composed).padStart(6)} GB/s   fused speed-up ${(composed / adam).toFixed(1)}x`);
  }
}
