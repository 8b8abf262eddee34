/**
 * The float32 Adam update over arrays that live in the tensor heap (the shared WebAssembly
 * memory): the WASM loop reads and writes them where they are — no copies through a scratch
 * heap — and large steps are split over the worker pool. Each parameter is one descriptor
 * (`ADAM_DESC`: its nine array offsets and ten scalars) in the scratch heap; tasks cover
 * 64-byte-aligned byte ranges of one parameter, so every thread runs the same per-element
 * float32 arithmetic as the one-thread loop and the result does not depend on the split.
 */
import { writeAdamDescriptor, type AdamScalars } from './fused-adam-stream.js';
import { ADAM_DESC } from '../wasm/optim-fns.js';
import { FN_NAMES, sharedRuntime } from '../wasm/runtime.js';
import { runTasks, usableThreads, wakeWorkers, type Task } from '../wasm/thread-pool.js';

/** One parameter's arrays: where to read (`src`) and write (`dst`) p, m, v (and vmax); the grad. */
export interface HeapAdamItem {
  dst: readonly [Float32Array, Float32Array, Float32Array, Float32Array | undefined];
  src: readonly [Float32Array, Float32Array, Float32Array, Float32Array | undefined];
  grad: Float32Array;
  c: AdamScalars;
}

/** Smallest task split over threads: 256 KiB of each array. */
const TASK_MIN_BYTES = 1 << 18;
/** Steps smaller than this (elements in all) run on the calling thread. */
const SPLIT_MIN = 1 << 18;

/** The byte length the loop covers for `n` floats (whole 64-byte granules). */
const padded = (n: number): number => Math.ceil((4 * n) / 64) * 64;

/**
 * Whether `item` can run in the heap: every array starts a heap block holding its padded length
 * (whole granules may be written past the end of the view, inside its own block).
 */
export function fitsHeap(item: HeapAdamItem): boolean {
  const heap = sharedRuntime()?.heap;
  if (heap === null || heap === undefined) return false;
  const need = padded(item.grad.length);
  const arrays = [...item.dst, ...item.src, item.grad];
  return arrays.every((a) => a === undefined || heap.blockBytes(a) >= need);
}

/** Runs the Adam update of every item (each checked with {@link fitsHeap}) in the heap. */
export function heapAdamF32(items: readonly HeapAdamItem[]): void {
  const rt = sharedRuntime();
  if (rt === null || rt.heap === null || items.length === 0) return;
  const total = items.reduce((s, it) => s + it.grad.length, 0);
  const threads = total >= SPLIT_MIN ? usableThreads() : 1;
  wakeWorkers(rt, threads);
  const base = rt.reserve(ADAM_DESC.bytes * items.length);
  // one task per parameter on one thread; else about 8 tasks per thread, claimed as they go
  const taskBytes = threads === 1 ? Infinity : Math.max(TASK_MIN_BYTES, padded(Math.ceil(total / (8 * threads))));
  const fnPlain = FN_NAMES.indexOf('adam_plain4');
  const fnAms = FN_NAMES.indexOf('adam_ams4');
  const tasks: Task[] = [];
  items.forEach((it, k) => {
    const d = base + ADAM_DESC.bytes * k;
    const ams = it.dst[3] !== undefined;
    const [p, m, v, x] = it.dst;
    const [ps, ms, vs, xs] = it.src;
    writeAdamDescriptor(rt, d, [ps, p, it.grad, ms, m, vs, v, xs ?? vs, x ?? v].map((a) => a.byteOffset), it.c);
    const fn = ams ? fnAms : fnPlain;
    const bytes = padded(it.grad.length);
    for (let i0 = 0; i0 < bytes; i0 += taskBytes) {
      tasks.push([{ slot: -1, key: 0, rel: 0, fn, args: [d, i0, Math.min(bytes, i0 + taskBytes)] }]);
    }
  });
  // the pool takes at most ~1000 tasks a job: run in batches
  for (let t = 0; t < tasks.length; t += 1000) runTasks(rt, tasks.slice(t, t + 1000), 0, threads);
}
