import { Engine } from '@backstep/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { registerCpuBackend } from '../src/index.js';
import { poolStats, runTasks, setSoloFallback, type Task } from '../src/wasm/thread-pool.js';
import { FN_NAMES, sharedRuntime } from '../src/wasm/runtime.js';
import { rand } from './seeded-random.js';

/** Index of the first element where two arrays differ bitwise, or -1. */
function firstDiff(a: Float32Array, b: Float32Array): number {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

const engine = new Engine();
const backend = registerCpuBackend(engine, { setCurrent: true, threads: 1 });

// always split (never fall back to one thread on a busy machine), so the workers are exercised
setSoloFallback(false);
afterAll(() => {
  backend.setThreads(null);
  setSoloFallback(true);
});

describe('float32 matmul split over the worker pool', () => {
  // big enough to be split (≥ 2M multiply-adds), with column, row and batch splits, broadcasts and ragged edges
  const shapes: [number, number, number, number, number][] = [
    [1, 1, 128, 784, 256], [1, 1, 256, 128, 784], [1, 1, 301, 257, 37], [1, 1, 1000, 300, 10], [1, 1, 7, 600, 999],
    [3, 1, 97, 130, 170], [1, 5, 64, 200, 50], [12, 12, 40, 100, 60], [2, 2, 129, 129, 129],
  ];
  const products = (threads: number): Float32Array[] => {
    backend.setThreads(threads);
    const out: Float32Array[] = [];
    for (const [ba, bb, m, k, n] of shapes) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = engine.makeTensor(rand(ba * m * k, m + k), ta ? [ba, k, m] : [ba, m, k], 'float32');
          const b = engine.makeTensor(rand(bb * k * n, n + 3 * k), tb ? [bb, n, k] : [bb, k, n], 'float32');
          const y = engine.run('matmul', [a, b], { transposeA: ta, transposeB: tb });
          out.push(y.dataSync() as Float32Array);
          for (const t of [a, b, y]) t.dispose();
        }
      }
    }
    return out;
  };

  it('starts the requested threads', async () => {
    backend.setThreads(3);
    expect(await backend.startThreads()).toBe(3);
    expect(backend.threads).toBe(3);
    expect(backend.wasmInfo()).toContain('3 of 3 threads');
  });

  it('gives bit-identical results on 1, 2 and 3 threads', () => {
    const one = products(1);
    for (const threads of [2, 3]) {
      const many = products(threads);
      expect(many.length).toBe(one.length);
      many.forEach((v, i) => expect(firstDiff(v, one[i] as Float32Array), `product ${i} on ${threads} threads`).toBe(-1));
    }
  });

  it('stays correct over many small split products in a row (workers waking late or not at all)', () => {
    backend.setThreads(2);
    const a = engine.makeTensor(rand(128 * 256, 1), [1, 128, 256], 'float32');
    const b = engine.makeTensor(rand(256 * 96, 2), [1, 256, 96], 'float32');
    backend.setThreads(1);
    const want = engine.run('matmul', [a, b], { transposeA: false, transposeB: false });
    const ref = want.dataSync();
    backend.setThreads(2);
    poolStats(true);
    let bad = 0;
    for (let i = 0; i < 300; i++) {
      const y = engine.run('matmul', [a, b], { transposeA: false, transposeB: false });
      if (firstDiff(y.dataSync() as Float32Array, ref as Float32Array) >= 0) bad++;
      y.dispose();
    }
    expect(bad).toBe(0);
    const stats = poolStats();
    expect(stats.jobs).toBe(300);
    expect(stats.workerTasks).toBeLessThanOrEqual(stats.tasks);
    for (const t of [a, b, want]) t.dispose();
  });

  it('throws (never hangs) when a task fails, on whichever thread, and keeps working afterwards', () => {
    backend.setThreads(2);
    const rt = sharedRuntime();
    expect(rt).not.toBeNull();
    if (rt === null) return;
    const packA = FN_NAMES.indexOf('packA');
    const base = rt.reserve(1 << 16);
    const ok: Task = [{ slot: -1, key: 0, rel: 0, fn: packA, args: [base, 16, 4, 4, 4, base + 4096] }];
    // reads far past the end of the memory: a trap
    const bad: Task = [{ slot: -1, key: 0, rel: 0, fn: packA, args: [0x7ff00000, 16, 4, 4, 4, base + 8192] }];
    for (let i = 0; i < 20; i++) {
      const tasks = Array.from({ length: 8 }, (_, k) => (k === i % 8 ? bad : ok));
      expect(() => runTasks(rt, tasks, 0, 2)).toThrow();
      expect(() => runTasks(rt, [ok, ok, ok, ok], 0, 2)).not.toThrow();
    }
  });
});
