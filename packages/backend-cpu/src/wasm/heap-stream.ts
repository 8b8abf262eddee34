/**
 * Elementwise WASM loops over float32 arrays that live in the tensor heap: the loop addresses
 * them in place (no copies through the scratch heap), and large ones are split over the worker
 * pool in 64-byte-aligned ranges (each element sees the same arithmetic whatever the split).
 */
import { FN_NAMES, sharedRuntime } from './runtime.js';
import { runTasks, usableThreads, wakeWorkers, type Task } from './thread-pool.js';

/** Arrays of at least this many elements are split over threads. */
export const SPLIT_MIN_ELEMENTS = 1 << 18;
/** Smallest part of a split, in elements (256 KiB of each array). */
const PART_MIN_ELEMENTS = 1 << 16;

/** `n` rounded up to whole 64-byte granules (16 floats): what a loop over heap blocks may touch. */
export const granules = (n: number): number => Math.ceil(n / 16) * 16;

/** Whether every array starts a tensor-heap block that holds `n` floats rounded up to whole granules. */
export function allInHeap(arrays: readonly Float32Array[], n: number): boolean {
  const heap = sharedRuntime()?.heap;
  if (heap === null || heap === undefined) return false;
  const need = 4 * granules(n);
  return arrays.every((a) => heap.blockBytes(a) >= need);
}

/**
 * `fn(ptr0, ptr1, ..., n, scalarsPtr)` (the `wasmStreamF32` convention) over arrays in the heap,
 * in place; false (nothing done) unless {@link allInHeap}. `pointerArgs` pads the pointer list.
 */
export function heapStreamF32(name: string, arrays: readonly Float32Array[], scalars: readonly number[], pointerArgs = arrays.length): boolean {
  const n = (arrays[0] as Float32Array).length;
  if (!allInHeap(arrays, n)) return false;
  const rt = sharedRuntime();
  if (rt === null) return false;
  const threads = n >= SPLIT_MIN_ELEMENTS ? usableThreads() : 1;
  wakeWorkers(rt, threads);
  const sp = rt.reserve(4 * Math.max(16, scalars.length));
  scalars.forEach((v, k) => (rt.f32[(sp >> 2) + k] = v));
  const fn = FN_NAMES.indexOf(name);
  const part = threads === 1 ? n : Math.max(PART_MIN_ELEMENTS, granules(Math.ceil(n / (8 * threads))));
  const pad = new Array<number>(pointerArgs - arrays.length).fill(0);
  const tasks: Task[] = [];
  for (let off = 0; off < n; off += part) {
    const len = Math.min(part, n - off);
    tasks.push([{ slot: -1, key: 0, rel: 0, fn, args: [...arrays.map((a) => a.byteOffset + 4 * off), ...pad, len, sp] }]);
  }
  runTasks(rt, tasks, 0, threads);
  return true;
}
