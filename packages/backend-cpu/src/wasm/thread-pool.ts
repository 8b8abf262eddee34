/**
 * The worker pool: worker threads (Node `worker_threads`, or Web Workers where the page is
 * cross-origin isolated) that instantiate the kernel module over the same shared memory and help
 * the calling thread with a job: a list of tasks (each a short list of WASM calls) that every
 * thread claims one at a time from a shared counter (`Atomics.compareExchange`). The calling
 * thread claims tasks too, so a job never waits for a worker to wake up: a worker that is late
 * (asleep, or descheduled on a loaded machine) simply finds fewer tasks left, or none. The
 * calling thread only waits for tasks a worker has already claimed.
 *
 * Control words at the bottom of the memory: word 0 is a generation counter the workers wait on
 * (a short spin of {@link SPIN_MS} after each job, then `Atomics.wait`), word 1 the claim word
 * (job id << 10 | next task), word 2 the number of tasks done, word 3 the task count, word 4 the
 * byte stride of thread-relative arguments, word 5 the number of threads that may take part,
 * word 6 the number of workers asleep (only then does posting a job call `Atomics.notify`), word 7
 * set when a task failed on a worker (the calling thread then throws), then the task table; the tasks' calls follow from {@link LISTS_BASE}.
 *
 * A call of a task may name a cache slot and key: a thread skips it when the last call it ran in
 * that slot during this job had the same key (a thread packs a panel of A or B once and reuses it
 * for all its tasks that need it). Arguments flagged thread-relative get `tid × stride` added, so
 * each thread packs into its own buffers.
 *
 * The pool is per process (the WASM memory is), starts lazily and asynchronously when a kernel
 * first has enough work to split, and never keeps a Node process alive (workers are `unref`ed).
 * Until it is up, or where shared memory or workers are unavailable, everything runs on the
 * calling thread.
 */
import { FN_NAMES, HEAP_BASE, type WasmRuntime } from './runtime.js';

/**
 * One call of a task: cache slot (-1: always run), cache key, bit mask of thread-relative
 * arguments, the function's index in FN_NAMES, then its i32 arguments (at most 8).
 */
export interface Step {
  slot: number;
  key: number;
  rel: number;
  fn: number;
  args: number[];
}

/** A task: calls run in order by whichever thread claims it. */
export type Task = Step[];

const GEN = 0;
const CLAIM = 1;
const DONE = 2;
const NTASKS = 3;
const STRIDE = 4;
const THREADS = 5;
const SLEEPERS = 6;
const FAILED = 7;
const TABLE = 16;
/** Most tasks per job (the claim word keeps the task index in its low 10 bits; 1023 means closed). */
export const MAX_TASKS = 1022;
const IDX_BITS = 10;
const IDX_MASK = (1 << IDX_BITS) - 1;
const JOB_MASK = (1 << (31 - IDX_BITS)) - 1;
/** Task calls are encoded from here (int32 words below {@link HEAP_BASE}). */
const LISTS_BASE = 4096;
const MAX_WORKERS = 31;
/**
 * How long a worker spins for the next job before it sleeps (milliseconds). Short: on a loaded
 * machine a spinning thread only takes time from the others (and the scheduler then runs it late),
 * while a sleeping one is woken promptly; kernels wake the workers ahead of a job ({@link wakeWorkers}).
 */
const SPIN_MS = 0.2;
/** How long the calling thread spins for claimed tasks to finish before it sleeps (milliseconds). */
const WAIT_SPIN_MS = 0.2;
const CACHE_SLOTS = 4;

const WORKER_SOURCE = `
const isNode = typeof self === 'undefined';
const port = isNode ? require('node:worker_threads').parentPort : self;
const onMsg = (fn) => (isNode ? port.on('message', fn) : (self.onmessage = (e) => fn(e.data)));
onMsg(({ module, memory, id, names, ints, spinMs }) => {
  const ex = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  const fns = names.map((n) => ex[n]);
  const ctl = new Int32Array(memory.buffer, 0, ints);
  const tid = id + 1;
  const cache = new Int32Array(${CACHE_SLOTS});
  const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();
  const arg = (q, i, na, rel, off) => (i < na ? ctl[q + i] + ((rel >> i) & 1) * off : 0);
  const work = () => {
    let job = -1;
    for (;;) {
      const c = Atomics.load(ctl, ${CLAIM});
      const idx = c & ${IDX_MASK};
      if (idx >= Atomics.load(ctl, ${NTASKS}) || tid >= Atomics.load(ctl, ${THREADS})) return;
      if (Atomics.compareExchange(ctl, ${CLAIM}, c, c + 1) !== c) continue;
      if (c >>> ${IDX_BITS} !== job) { job = c >>> ${IDX_BITS}; cache.fill(-1); }
      const off = tid * ctl[${STRIDE}];
      let q = ctl[${TABLE} + idx];
      try {
        for (let s = ctl[q++]; s > 0; s--) {
          const slot = ctl[q], key = ctl[q + 1], rel = ctl[q + 2], f = fns[ctl[q + 3]], na = ctl[q + 4];
          q += 5;
          if (slot >= 0) {
            if (cache[slot] === key) { q += na; continue; }
            cache[slot] = key;
          }
          f(arg(q, 0, na, rel, off), arg(q, 1, na, rel, off), arg(q, 2, na, rel, off), arg(q, 3, na, rel, off),
            arg(q, 4, na, rel, off), arg(q, 5, na, rel, off), arg(q, 6, na, rel, off), arg(q, 7, na, rel, off));
          q += na;
        }
      } catch {
        cache.fill(-1);
        Atomics.store(ctl, ${FAILED}, 1); // the calling thread throws once the job is done
      }
      const total = ctl[${NTASKS}];
      if (Atomics.add(ctl, ${DONE}, 1) + 1 === total) Atomics.notify(ctl, ${DONE});
    }
  };
  let gen = Atomics.load(ctl, ${GEN});
  port.postMessage('ready');
  for (;;) {
    if (Atomics.load(ctl, ${GEN}) === gen) {
      const until = now() + spinMs;
      for (let s = 1; Atomics.load(ctl, ${GEN}) === gen && ((s & 63) !== 0 || now() < until); s++);
    }
    if (Atomics.load(ctl, ${GEN}) === gen) {
      Atomics.add(ctl, ${SLEEPERS}, 1);
      Atomics.wait(ctl, ${GEN}, gen);
      Atomics.sub(ctl, ${SLEEPERS}, 1);
    }
    gen = Atomics.load(ctl, ${GEN});
    if (gen < 0) return;
    work();
  }
});
`;

interface AnyWorker {
  postMessage(msg: unknown): void;
  terminate(): unknown;
}

let explicit: number | null = null;
let cores = Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
let probed = false;
let workers: AnyWorker[] = [];
let starting: Promise<number> | null = null;

/** The thread count asked for: set explicitly, else the machine's logical cores. */
function wanted(): number {
  if (!probed) {
    probed = true;
    // Node 20 has no navigator: ask node:os (asynchronously; the pool starts on a later call)
    if ((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== undefined) {
      void import('node:os').then((os) => { cores = Math.max(1, os.availableParallelism()); }, () => undefined);
    }
  }
  return Math.min(MAX_WORKERS + 1, explicit ?? cores);
}

/** Sets the number of threads kernels may use (1: the calling thread only; null: the logical cores). */
export function setThreadCount(n: number | null): void {
  if (n !== null && (!Number.isInteger(n) || n < 1)) throw new RangeError(`setThreads: expected a positive integer, got ${n}`);
  explicit = n;
}

/** The thread count asked for (the pool may not be up yet). */
export function requestedThreads(): number {
  return wanted();
}

/**
 * Threads a kernel may split its work over now: the requested count, limited to the workers
 * running (+ this thread). Starts the pool in the background when more are requested.
 */
export function threadCount(): number {
  const want = wanted();
  if (want > workers.length + 1 && starting === null) void startPool(null);
  return Math.min(want, workers.length + 1);
}

/** Starts the workers for the requested thread count; resolves with the threads available. */
export function startPool(rt: WasmRuntime | null): Promise<number> {
  if (!probed && explicit === null && (globalThis as { process?: unknown }).process !== undefined) {
    probed = true;
    return import('node:os').then((os) => { cores = Math.max(1, os.availableParallelism()); }, () => undefined).then(() => startPool(rt));
  }
  if (wanted() <= workers.length + 1) return Promise.resolve(Math.min(wanted(), workers.length + 1));
  starting ??= (async () => {
    try {
      const { sharedRuntime } = await import('./runtime.js');
      const r = rt ?? sharedRuntime();
      if (r === null || !r.shared) return 1;
      const make = await workerFactory();
      if (make === null) return 1;
      const fresh = await Promise.all(Array.from({ length: Math.max(0, wanted() - 1 - workers.length) }, (_, i) => spawn(make, r, workers.length + i)));
      workers = [...workers, ...fresh];
      return workers.length + 1;
    } catch {
      return workers.length + 1;
    } finally {
      starting = null;
    }
  })();
  return starting;
}

type Factory = () => { worker: AnyWorker; onReady: (cb: () => void) => void };

/** A constructor of workers running WORKER_SOURCE: Node worker_threads or a Blob-URL Web Worker. */
async function workerFactory(): Promise<Factory | null> {
  const g = globalThis as { process?: { versions?: { node?: string } }; Worker?: new (url: string) => AnyWorker & { onmessage: unknown }; crossOriginIsolated?: boolean };
  if (g.process?.versions?.node !== undefined) {
    const wt = await import('node:worker_threads');
    return () => {
      const worker = new wt.Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      return { worker, onReady: (cb) => worker.once('message', () => cb()) };
    };
  }
  if (typeof g.Worker === 'function' && g.crossOriginIsolated === true && typeof Blob === 'function') {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const W = g.Worker;
    return () => {
      const worker = new W(url);
      return { worker, onReady: (cb) => { (worker as unknown as { onmessage: () => void }).onmessage = cb; } };
    };
  }
  return null;
}

function spawn(make: Factory, rt: WasmRuntime, id: number): Promise<AnyWorker> {
  return new Promise((resolve) => {
    const { worker, onReady } = make();
    onReady(() => resolve(worker));
    worker.postMessage({ module: rt.module, memory: rt.memory, id, names: FN_NAMES, ints: HEAP_BASE / 4, spinMs: SPIN_MS });
  });
}

/** Stops every worker (they exit their loop); kernels run on the calling thread afterwards. */
export function stopPool(rt: WasmRuntime | null): void {
  if (rt !== null && workers.length > 0) {
    const ctl = new Int32Array(rt.memory.buffer, 0, 2);
    Atomics.store(ctl, 0, -1);
    Atomics.notify(ctl, 0);
  }
  for (const w of workers) void w.terminate();
  workers = [];
}

let jobId = 0;

/** Counters of the jobs run on the pool (diagnostics and tests). */
export interface PoolStats {
  /** Jobs posted to the workers. */
  jobs: number;
  /** Their tasks. */
  tasks: number;
  /** Tasks the workers ran. */
  workerTasks: number;
  /** Jobs where the calling thread had to wait for a worker's task after running out of tasks. */
  waits: number;
  /** Milliseconds spent in those waits. */
  waitMs: number;
  /** Milliseconds from posting each job to the end of the calling thread's own tasks. */
  ownMs: number;
  /** Times kernels fell back to the calling thread alone because the workers did not run in parallel. */
  soloSpells: number;
}
const fresh = (): PoolStats => ({ jobs: 0, tasks: 0, workerTasks: 0, waits: 0, waitMs: 0, ownMs: 0, soloSpells: 0 });
const stats: PoolStats = fresh();

/** A copy of the pool's counters (reset with `reset`). */
export function poolStats(reset = false): PoolStats {
  const s = { ...stats };
  if (reset) Object.assign(stats, fresh());
  return s;
}

const mainCache = new Int32Array(CACHE_SLOTS);
const clock = typeof performance === 'object' ? (): number => performance.now() : (): number => Date.now();

/**
 * Whether the workers actually run alongside the calling thread. On a machine whose cores are
 * busy with other processes a worker only time-slices with the calling thread (waking it can even
 * preempt the caller), so splitting makes kernels slower. Where the process's CPU time can be read
 * (Node's `process.cpuUsage`), each job of at least {@link JUDGE_MIN_MS} compares it with its wall
 * time (the kernel accounts other threads' CPU time at scheduler ticks, so shorter jobs cannot be
 * judged this way; `matmul-plan.ts` compares timings for those): a job that used less than
 * {@link MIN_PARALLELISM} cores is a strike, and after {@link STRIKES} in a row kernels run on the
 * calling thread alone for a while (10 ms, doubling on each relapse up to 1 s), then try again.
 */
const cpuUsage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage;
const MIN_PARALLELISM = 1.3;
const JUDGE_MIN_MS = 8;
const STRIKES = 3;
const BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 1000;
let strikes = 0;
let backoffMs = BACKOFF_MS;
let soloUntil = 0;
let adaptive = true;

/**
 * Turns the fallbacks to the calling thread alone (here and in `matmul-plan.ts`) on or off (tests
 * turn them off to exercise the workers).
 */
export function setSoloFallback(enabled: boolean): void {
  adaptive = enabled;
  soloUntil = 0;
  strikes = 0;
}

/** Whether kernels may fall back to the calling thread alone when splitting does not pay. */
export function soloFallback(): boolean {
  return adaptive;
}

function cpuMs(): number {
  const u = (cpuUsage as () => { user: number; system: number })();
  return (u.user + u.system) / 1000;
}

/** Records how parallel a job was (CPU time over wall time, both in ms). */
function judge(cpu: number, wall: number): void {
  if (wall < JUDGE_MIN_MS) return;
  if (cpu >= MIN_PARALLELISM * wall) {
    strikes = 0;
    backoffMs = BACKOFF_MS;
    return;
  }
  if (++strikes < STRIKES) return;
  strikes = 0;
  soloUntil = clock() + backoffMs;
  stats.soloSpells++;
  backoffMs = Math.min(2 * backoffMs, MAX_BACKOFF_MS);
}

/**
 * Threads a kernel should split its work over now: {@link threadCount}, or 1 while the workers
 * have recently failed to run in parallel with the calling thread (see {@link judge}).
 */
export function usableThreads(): number {
  const n = threadCount();
  if (n < 2 || soloUntil === 0) return n;
  if (clock() < soloUntil) return 1;
  soloUntil = 0;
  return n;
}

/** Runs one task on this thread (thread id 0: thread-relative arguments unchanged). */
function runTask(rt: WasmRuntime, task: Task, cache: Int32Array): void {
  const fns = rt.fnList;
  for (const st of task) {
    if (st.slot >= 0) {
      if (cache[st.slot] === st.key) continue;
      cache[st.slot] = st.key;
    }
    const a = st.args;
    (fns[st.fn] as (...x: number[]) => void)(a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, a[3] ?? 0, a[4] ?? 0, a[5] ?? 0, a[6] ?? 0, a[7] ?? 0);
  }
}

/** Encodes the tasks' calls from {@link LISTS_BASE}; false when they do not fit. */
function encode(I: Int32Array, tasks: readonly Task[]): boolean {
  let q = LISTS_BASE / 4;
  const end = HEAP_BASE / 4;
  for (let t = 0; t < tasks.length; t++) {
    const task = tasks[t] as Task;
    I[TABLE + t] = q;
    if (q >= end) return false;
    I[q++] = task.length;
    for (const st of task) {
      if (q + 5 + st.args.length > end || st.args.length > 8) return false;
      I[q] = st.slot;
      I[q + 1] = st.key;
      I[q + 2] = st.rel;
      I[q + 3] = st.fn;
      I[q + 4] = st.args.length;
      q += 5;
      for (const x of st.args) I[q++] = x;
    }
  }
  return true;
}

/** Advances the generation word (only this thread writes it; it wraps before turning negative, which means stop). */
function bumpGen(I: Int32Array): void {
  Atomics.store(I, GEN, (Atomics.load(I, GEN) + 1) & 0x3fffffff);
}

/**
 * Wakes the workers ahead of a job (a kernel calls this before copying its operands in, so that
 * the wake-up overlaps that work): they then spin for the job for a short while. No-op without
 * workers or when `threads` < 2.
 */
export function wakeWorkers(rt: WasmRuntime, threads: number): void {
  if (workers.length === 0 || threads < 2 || !rt.shared) return;
  const I = new Int32Array(rt.memory.buffer, 0, 8);
  if (Atomics.load(I, SLEEPERS) === 0) return;
  bumpGen(I);
  Atomics.notify(I, GEN);
}

/**
 * Runs a job: the tasks may run on any thread, in any order, each exactly once (calls of one
 * task in order); returns when all are done. `stride` is the byte offset between consecutive
 * threads' thread-relative buffers (arguments flagged in a step's `rel`); only threads 0 ..
 * `threads - 1` take part (the caller has buffers for that many). Without workers (or
 * when the tasks do not fit the control area) everything runs here, in order.
 */
export function runTasks(rt: WasmRuntime, tasks: readonly Task[], stride: number, threads: number): void {
  mainCache.fill(-1);
  if (workers.length === 0 || threads < 2 || !rt.shared || tasks.length < 2 || tasks.length > MAX_TASKS) {
    for (const t of tasks) runTask(rt, t, mainCache);
    return;
  }
  const I = new Int32Array(rt.memory.buffer, 0, HEAP_BASE / 4);
  jobId = (jobId + 1) & JOB_MASK;
  // close the previous job before rewriting the table (a late worker's claim then fails)
  Atomics.store(I, CLAIM, IDX_MASK);
  if (!encode(I, tasks)) {
    for (const t of tasks) runTask(rt, t, mainCache);
    return;
  }
  const total = tasks.length;
  const c0 = cpuUsage === undefined ? 0 : cpuMs();
  const t0 = clock();
  I[STRIDE] = stride;
  I[THREADS] = threads;
  I[FAILED] = 0;
  Atomics.store(I, NTASKS, total);
  Atomics.store(I, DONE, 0);
  Atomics.store(I, CLAIM, jobId << IDX_BITS);
  bumpGen(I);
  if (Atomics.load(I, SLEEPERS) > 0) Atomics.notify(I, GEN);
  let mine = 0;
  for (;;) {
    const c = Atomics.load(I, CLAIM);
    const idx = c & IDX_MASK;
    if (idx >= total) break;
    if (Atomics.compareExchange(I, CLAIM, c, c + 1) !== c) continue;
    try {
      runTask(rt, tasks[idx] as Task, mainCache);
    } catch (e) {
      // stop further claims and let the workers finish theirs before the heap is reused
      const claimed = Math.min(total, Atomics.exchange(I, CLAIM, (jobId << IDX_BITS) | IDX_MASK) & IDX_MASK);
      waitDone(I, claimed - mine - 1, clock());
      throw e;
    }
    mine++;
  }
  const t1 = clock();
  stats.jobs++;
  stats.tasks += total;
  stats.workerTasks += total - mine;
  stats.ownMs += t1 - t0;
  if (Atomics.add(I, DONE, mine) + mine !== total) waitDone(I, total, t1);
  if (cpuUsage !== undefined && adaptive) judge(cpuMs() - c0, clock() - t0);
  if (Atomics.load(I, FAILED) !== 0) throw new Error('cpu backend: a kernel failed on a worker thread');
}

/** Waits until the job's tasks claimed by workers are done (from time `t1`). */
function waitDone(I: Int32Array, total: number, t1: number): void {
  stats.waits++;
  const until = t1 + WAIT_SPIN_MS;
  for (let s = 1; ; s++) {
    const done = Atomics.load(I, DONE);
    if (done === total) {
      stats.waitMs += clock() - t1;
      return;
    }
    if ((s & 63) === 0 && clock() > until) {
      try {
        Atomics.wait(I, DONE, done, 2);
      } catch {
        // a browser main thread cannot block: keep spinning
      }
    }
  }
}
