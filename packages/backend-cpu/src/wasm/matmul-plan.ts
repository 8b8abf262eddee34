/**
 * Float32 batched matmul through the WASM kernels: reads A and B where they are when they live in
 * the tensor heap (else copies them into the scratch heap), splits
 * the work into tasks (batches, column-panel chunks or row-tile chunks) that the calling thread
 * and the worker pool claim dynamically (each thread packs the A and B panels its tasks need into
 * its own buffers, once per job), and moves C into the result (in WASM memory when the result
 * lives in the heap, else one copy out).
 */
import type { MatmulDims } from '@backstep/tensor';
import { FN_NAMES, align64, offsetIn, sharedRuntime, wasmRuntime, type WasmRuntime } from './runtime.js';
import { MAX_TASKS, runTasks, soloFallback, usableThreads, wakeWorkers, type Task } from './thread-pool.js';

let fnIndex: { packA: number; packB: number; gemm: number } | undefined;
function fns(): { packA: number; packB: number; gemm: number } {
  return (fnIndex ??= { packA: FN_NAMES.indexOf('packA'), packB: FN_NAMES.indexOf('packB'), gemm: FN_NAMES.indexOf('gemm') });
}

/**
 * Computes `out = a @ b` (float32, shapes as in {@link MatmulDims}) with the WASM kernels.
 * Returns false (doing nothing) when WebAssembly SIMD is unavailable or the operands do not fit
 * the heap; the caller then runs its TypeScript loops.
 */
export function wasmMatmulF32(av: Float32Array, bv: Float32Array, out: Float32Array, d: MatmulDims): boolean {
  const local = wasmRuntime();
  if (local === null) return false;
  const { batch, ba, bb, m, k, n } = d;
  const { MR, NR } = local.tile;
  if (batch === 0 || m === 0 || n === 0) return true;
  if (k === 0) {
    out.fill(0);
    return true;
  }
  const mp = Math.ceil(m / MR) * MR;
  const panels = Math.ceil(n / NR);
  const macs = batch * m * n * k;
  let threads = Math.max(1, Math.min(usableThreads(), Math.ceil(macs / (1 << 21))));
  const t0 = performance.now();
  const key = macs < AB_MAX_MACS && threads > 1 && soloFallback() ? `${batch},${ba},${bb},${m},${k},${n},${+d.transposeA},${+d.transposeB}` : null;
  if (key !== null) threads = chooseThreads(key, threads);
  // split products, and products of operands in the tensor heap, run in the shared memory (the
  // one the workers see); the others in the unshared one (copies into it are faster)
  const shared = sharedRuntime();
  const resident = shared !== null && offsetIn(shared, av) >= 0 && offsetIn(shared, bv) >= 0;
  const rt = threads > 1 || resident ? (shared ?? local) : local;
  if (rt === local) threads = 1;
  const aAt = offsetIn(rt, av);
  const bAt = offsetIn(rt, bv);
  // C's row stride: whole panels; split over threads, whole cache lines too, so that no line of C
  // is written by two threads (task boundaries fall on 64-byte multiples, see planMatmul)
  const np = threads > 1 ? Math.ceil((panels * NR) / 16) * 16 : panels * NR;
  const aBytes = aAt >= 0 ? 0 : align64(4 * ba * m * k);
  const bBytes = bAt >= 0 ? 0 : align64(4 * bb * k * n);
  const cBytes = align64(4 * batch * mp * np);
  const packBytes = align64(4 * k * (np + mp));
  let base: number;
  try {
    base = rt.reserve(aBytes + bBytes + cBytes + threads * packBytes);
  } catch {
    return false;
  }
  wakeWorkers(rt, threads);
  const aPtr = aAt >= 0 ? aAt : base;
  const bPtr = bAt >= 0 ? bAt : base + aBytes;
  const cPtr = base + aBytes + bBytes;
  const packPtr = cPtr + cBytes;
  if (aAt < 0) rt.f32.set(av, aPtr >> 2);
  if (bAt < 0) rt.f32.set(bv, bPtr >> 2);
  runTasks(rt, planMatmul(d, threads, { aPtr, bPtr, cPtr, packPtr, packBytes, ldc: 4 * np }, MR, NR), packBytes, threads);
  copyOut(rt, out, cPtr, d, mp, np);
  if (key !== null) recordTime(key, threads, performance.now() - t0);
  return true;
}

/**
 * Products below this size (about 8 ms on one thread) pick their thread count by timing: on a
 * machine whose cores are busy with other processes, waking a worker and splitting can make a
 * short product slower than running it alone, and how often that happens changes with the load.
 */
const AB_MAX_MACS = 160e6;
/** Every PROBE-th product of a shape runs with the other thread count, to notice when the better one changes. */
const PROBE = 16;
/** A shape runs alone only when that has been this much faster than split (timings are noisy). */
const MARGIN = 1.1;
/** How far a slower timing pulls a shape's estimate up (a faster one replaces it: noise only ever adds time). */
const RISE = 0.1;
const timings = new Map<string, { solo: number; par: number; soloRuns: number; parRuns: number; jobs: number }>();

/** Threads for the next product of shape `key`: `threads`, or 1 while that has been faster for this shape. */
function chooseThreads(key: string, threads: number): number {
  let t = timings.get(key);
  if (t === undefined) {
    if (timings.size >= 512) timings.clear();
    timings.set(key, (t = { solo: 0, par: 0, soloRuns: 0, parRuns: 0, jobs: 0 }));
  }
  t.jobs++;
  // two timings of each first (the first split one may include growing the shared heap)
  if (t.parRuns < 2 || t.soloRuns < 2) return t.parRuns <= t.soloRuns ? threads : 1;
  const parallel = t.par <= MARGIN * t.solo;
  return parallel !== (t.jobs % PROBE === 0) ? threads : 1;
}

/** Records how long a product of shape `key` took on `threads` threads (ms, from choosing to the copied-out result). */
function recordTime(key: string, threads: number, ms: number): void {
  const t = timings.get(key);
  if (t === undefined) return;
  const next = (est: number): number => (est === 0 || ms < est ? ms : est + RISE * (ms - est));
  if (threads > 1) {
    t.par = next(t.par);
    t.parRuns++;
  } else {
    t.solo = next(t.solo);
    t.soloRuns++;
  }
}

/** Where the operands and each thread's packing buffers (A panels, then B panels) live. */
interface Layout {
  aPtr: number;
  bPtr: number;
  cPtr: number;
  packPtr: number;
  packBytes: number;
  /** Byte stride of C's rows (a multiple of 64 when split over threads). */
  ldc: number;
}

/** Multiply-adds per task to aim for (about 25 µs of work at 40 GFLOP/s). */
const TASK_MACS = 1 << 19;

/**
 * Tasks for the product. One thread: one task doing everything. More: ranges of batches (about
 * clamp(work / TASK_MACS, 4·threads, 16·threads) tasks) when there are enough batches, else
 * ranges of column panels (or of row tiles when there are few panels) within each batch: for a
 * single product, guided sizes (each task a 1/(2·threads) share of what is left, at least
 * TASK_MACS of work; the smallest column ranges also split by rows) so that threads finish
 * together; for a few batches, equal ranges. Each task
 * packs its A rows and B columns into the claiming thread's buffers (`packPtr + tid·packBytes`),
 * skipped when that thread packed the same block earlier in this job.
 */
function planMatmul(d: MatmulDims, threads: number, L: Layout, MR: number, NR: number): Task[] {
  const { packA, packB, gemm } = fns();
  const { batch, ba, bb, m, k, n, transposeA, transposeB } = d;
  const mp = Math.ceil(m / MR) * MR;
  const panels = Math.ceil(n / NR);
  const tiles = mp / MR;
  const ldc = L.ldc;
  const [aRs, aCs] = transposeA ? [4, 4 * m] : [4 * k, 4];
  const [bRs, bCs] = transposeB ? [4, 4 * k] : [4 * n, 4];
  const aAt = (t: number): number => L.aPtr + (ba === 1 ? 0 : t) * 4 * m * k;
  const bAt = (t: number): number => L.bPtr + (bb === 1 ? 0 : t) * 4 * k * n;
  const cAt = (t: number): number => L.cPtr + t * mp * ldc;
  const aPack = L.packPtr;
  const bPack = aPack + 4 * k * mp;
  const byCols = panels >= 2 * threads || panels >= tiles;
  const units = byCols ? panels : tiles;
  // column ranges start on 64-byte boundaries of C's rows (no cache line written by two threads)
  const align = byCols ? 16 / gcd(NR, 16) : 1;
  const snap = (u: number): number => Math.min(units, Math.ceil(u / align) * align);
  let wanted = 1;
  if (threads > 1) wanted = Math.min(MAX_TASKS, 16 * threads, Math.max(4 * threads, Math.ceil((batch * m * n * k) / TASK_MACS)));
  /**
   * Steps computing unit range [u0, u1) of batch t (A/B cache keys per batch and range); by
   * columns, optionally only row tiles [t0, t1) of it (A stays packed whole, B for the range).
   */
  const steps = (t: number, u0: number, u1: number, key: number, t0 = 0, t1 = tiles): Task => {
    const r0 = byCols ? 0 : u0 * MR;
    const r1 = byCols ? m : Math.min(m, u1 * MR);
    const c0 = byCols ? u0 * NR : 0;
    const c1 = byCols ? Math.min(n, u1 * NR) : n;
    const aKey = (ba === 1 ? 0 : t) * (byCols ? 1 : units + 1) + (byCols ? 0 : key);
    const bKey = (bb === 1 ? 0 : t) * (byCols ? units + 1 : 1) + (byCols ? key : 0);
    const g0 = byCols ? t0 * MR : r0;
    const g1 = byCols ? Math.min(m, t1 * MR) : r1;
    return [
      { slot: 0, key: aKey, rel: 1 << 5, fn: packA, args: [aAt(t) + r0 * aRs, aRs, aCs, r1 - r0, k, aPack] },
      { slot: 1, key: bKey, rel: 1 << 5, fn: packB, args: [bAt(t) + c0 * bCs, bRs, bCs, k, c1 - c0, bPack] },
      { slot: -1, key: 0, rel: 3, fn: gemm, args: [aPack + 4 * (g0 - r0) * k, bPack, cAt(t) + g0 * ldc + 4 * c0, ldc, g1 - g0, Math.ceil(c1 / NR) - c0 / NR, k] },
    ];
  };
  const tasks: Task[] = [];
  if (batch >= wanted) {
    // whole products, batches [t0, t1) per task
    for (let i = 0; i < wanted; i++) {
      const task: Task = [];
      for (let t = Math.floor((batch * i) / wanted); t < Math.floor((batch * (i + 1)) / wanted); t++) task.push(...steps(t, 0, units, 0));
      tasks.push(task);
    }
    return tasks;
  }
  if (batch === 1) {
    const unitMacs = byCols ? m * k * NR : MR * k * n;
    const minUnits = Math.max(1, Math.ceil(TASK_MACS / unitMacs));
    for (let u0 = 0; u0 < units; ) {
      const u1 = snap(u0 + Math.max(minUnits, Math.ceil((units - u0) / (2 * threads))));
      // the smallest column ranges (the tail) go by row tiles too, so that the threads finish together
      const parts = byCols && u1 - u0 <= align ? Math.min(4, tiles, Math.floor(((u1 - u0) * unitMacs) / TASK_MACS)) : 1;
      for (let i = 0; i < Math.max(1, parts); i++) {
        tasks.push(steps(0, u0, u1, u0, Math.floor((tiles * i) / Math.max(1, parts)), Math.floor((tiles * (i + 1)) / Math.max(1, parts))));
      }
      u0 = u1;
    }
    return tasks;
  }
  const chunks = Math.min(Math.ceil(units / align), Math.ceil(wanted / batch));
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < chunks; i++) {
      const u0 = snap(Math.floor((units * i) / chunks));
      const u1 = snap(Math.floor((units * (i + 1)) / chunks));
      if (u1 > u0) tasks.push(steps(t, u0, u1, u0));
    }
  }
  return tasks;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Moves the valid m×n block of each padded C batch into `out`: straight into it when it lives in `rt`'s memory, else compacted in WASM memory first, then one copy. */
function copyOut(rt: WasmRuntime, out: Float32Array, cPtr: number, d: MatmulDims, mp: number, np: number): void {
  const { batch, m, n } = d;
  const outAt = offsetIn(rt, out);
  if (outAt >= 0) {
    const compact = rt.fns['compactRows'] as (...a: number[]) => void;
    for (let t = 0; t < batch; t++) compact(outAt + 4 * t * m * n, cPtr + 4 * t * mp * np, 4 * n, 4 * np, 4 * n, m);
    return;
  }
  if (np !== n || (mp !== m && batch > 1)) {
    const compact = rt.fns['compactRows'] as (...a: number[]) => void;
    for (let t = 0; t < batch; t++) compact(cPtr + 4 * t * m * n, cPtr + 4 * t * mp * np, 4 * n, 4 * np, 4 * n, m);
  }
  out.set(rt.f32.subarray(cPtr >> 2, (cPtr >> 2) + batch * m * n));
}
