/**
 * The worker pool: worker threads (Node `worker_threads`, or Web Workers where the page is
 * cross-origin isolated) that instantiate the kernel module over the same shared memory and run
 * per-thread call lists. Synchronisation is through control words at the bottom of the memory:
 * word 0 is a generation counter the workers wait on (`Atomics.wait`, after a short spin),
 * word 1 the number of workers still busy, words 2.. each worker's call-list address.
 *
 * The pool is per process (the WASM memory is), starts lazily and asynchronously when a kernel
 * first has enough work to split, and never keeps a Node process alive (workers are `unref`ed).
 * Until it is up, or where shared memory or workers are unavailable, everything runs on the
 * calling thread.
 */
import { FN_NAMES, HEAP_BASE, type WasmRuntime } from './runtime.js';

/** One call of an exported function: its index in FN_NAMES, then its i32 arguments. */
export type Call = number[];

/** Control words and per-worker call-list slots below the heap. */
const LISTS_BASE = 4096;
const MAX_WORKERS = 31;
const SLOT_INTS = ((HEAP_BASE - LISTS_BASE) / 4 / MAX_WORKERS) | 0;
const SPIN = 200000;

const WORKER_SOURCE = `
const isNode = typeof self === 'undefined';
const port = isNode ? require('node:worker_threads').parentPort : self;
const onMsg = (fn) => (isNode ? port.on('message', fn) : (self.onmessage = (e) => fn(e.data)));
onMsg(({ module, memory, id, names, ints, spin }) => {
  const ex = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
  const fns = names.map((n) => ex[n]);
  const ctl = new Int32Array(memory.buffer, 0, ints);
  let gen = Atomics.load(ctl, 0);
  port.postMessage('ready');
  for (;;) {
    for (let s = 0; s < spin && Atomics.load(ctl, 0) === gen; s++);
    if (Atomics.load(ctl, 0) === gen) Atomics.wait(ctl, 0, gen);
    gen = Atomics.load(ctl, 0);
    if (gen < 0) return;
    const p = ctl[2 + id];
    if (p !== 0) {
      let q = p + 1;
      for (let c = ctl[p]; c > 0; c--) {
        const f = fns[ctl[q]];
        const na = ctl[q + 1];
        const a = ctl.subarray(q + 2, q + 2 + na);
        f(...a);
        q += 2 + na;
      }
    }
    if (Atomics.sub(ctl, 1, 1) === 1) Atomics.notify(ctl, 1);
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
      const { wasmRuntime } = await import('./runtime.js');
      const r = rt ?? wasmRuntime();
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
    worker.postMessage({ module: rt.module, memory: rt.memory, id, names: FN_NAMES, ints: HEAP_BASE / 4, spin: SPIN });
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

/** Encodes a call list at int index `at` of `I`; false when it does not fit the slot. */
function encode(I: Int32Array, at: number, list: readonly Call[]): boolean {
  let q = at + 1;
  const end = at + SLOT_INTS;
  for (const c of list) {
    if (q + c.length + 1 > end) return false;
    I[q] = c[0] as number;
    I[q + 1] = c.length - 1;
    for (let k = 1; k < c.length; k++) I[q + 1 + k] = c[k] as number;
    q += c.length + 1;
  }
  I[at] = list.length;
  return true;
}

function runHere(rt: WasmRuntime, list: readonly Call[]): void {
  const fns = rt.fnList;
  for (const c of list) (fns[c[0] as number] as (...a: number[]) => void)(...c.slice(1));
}

/**
 * Runs per-thread call lists: list 0 on this thread, list w on worker w-1, and returns when all
 * are done. Lists beyond the running workers (or all, without a pool) run here, in order.
 */
export function runCalls(rt: WasmRuntime, lists: readonly Call[][]): void {
  const used = Math.min(lists.length - 1, workers.length);
  if (used <= 0 || !rt.shared) {
    for (const l of lists) runHere(rt, l);
    return;
  }
  const I = new Int32Array(rt.memory.buffer, 0, HEAP_BASE / 4);
  for (let w = 0; w < workers.length; w++) {
    const list = w < used ? lists[w + 1] : undefined;
    const at = LISTS_BASE / 4 + w * SLOT_INTS;
    if (list !== undefined && list.length > 0 && encode(I, at, list)) I[2 + w] = at;
    else {
      I[2 + w] = 0;
      if (list !== undefined) runHere(rt, list);
    }
  }
  Atomics.store(I, 1, workers.length);
  Atomics.add(I, 0, 1);
  Atomics.notify(I, 0);
  runHere(rt, lists[0] as Call[]);
  for (let w = used + 1; w < lists.length; w++) runHere(rt, lists[w] as Call[]);
  for (let s = 0; Atomics.load(I, 1) !== 0; s++) {
    if (s > SPIN) {
      try {
        Atomics.wait(I, 1, Atomics.load(I, 1), 1);
      } catch {
        s = 0; // a browser main thread cannot block: keep spinning
      }
    }
  }
}
