/**
 * The WebAssembly kernel runtimes: assembles the kernel module (relaxed SIMD fused multiply-add
 * where the engine validates it, plain SIMD otherwise), owns its linear memory and hands out the
 * scratch heap kernels copy their operands into. There are two instances of the same functions:
 * {@link wasmRuntime} over an ordinary memory, used by every kernel running on the calling thread,
 * and {@link sharedRuntime} over a shared memory (`SharedArrayBuffer`), which the worker threads
 * instantiate too, used by kernels split over threads. They are kept apart because engines copy
 * typed arrays into and out of shared memory much more slowly (relaxed-atomic copies: about 1.7×
 * the time of a `memcpy`), and single-thread kernels are bound by those copies.
 *
 * Memory layout: [0, HEAP_BASE) holds the thread pool's control words and task lists (in the
 * shared memory). In the unshared memory the scratch heap starts at HEAP_BASE and grows on demand.
 * In the shared memory everything from HEAP_BASE up belongs to a {@link WasmHeap}: float32 tensor
 * buffers live there (see {@link tensorHeap}) and the scratch heap is one of its blocks. Only the
 * main thread grows either memory.
 */
import { assemble, Fn, V128, op, simd, type Code } from './asm.js';
import { elementwiseFns } from './elementwise-fns.js';
import { gemmFns, tileFor, type Tile } from './gemm-fns.js';
import { optimFns } from './optim-fns.js';
import { convFns } from './conv-fns.js';
import { selectFns } from './select-fns.js';
import { WasmHeap } from './heap.js';

/** Bytes reserved below the scratch heap for thread control and command lists. */
export const HEAP_BASE = 1 << 20;
const PAGE = 65536;

/** The exported kernel functions (all arguments are i32 byte offsets/counts). */
export type WasmFn = (...args: number[]) => void;

/** A loaded kernel module over its memory. */
export interface WasmRuntime {
  /** The compiled module (workers instantiate it over {@link WasmRuntime.memory}). */
  readonly module: WebAssembly.Module;
  /** The linear memory (shared for {@link sharedRuntime}). */
  readonly memory: WebAssembly.Memory;
  /** Whether {@link WasmRuntime.memory} is shared (a SharedArrayBuffer). */
  readonly shared: boolean;
  /** Whether the micro-kernels use relaxed-SIMD fused multiply-add. */
  readonly relaxed: boolean;
  /** The matmul micro-tile the module was built with. */
  readonly tile: Tile;
  /**
   * The block allocator over the shared memory from HEAP_BASE up (tensor buffers and the scratch
   * heap); null for the unshared runtime.
   */
  readonly heap: WasmHeap | null;
  /** Exported functions by name. */
  readonly fns: Readonly<Record<string, WasmFn>>;
  /** The functions by index, in {@link FN_NAMES} order (what command lists refer to). */
  readonly fnList: readonly WasmFn[];
  /** A float32 view of the whole memory (refreshed after growth). */
  f32: Float32Array;
  /** An int32 view of the whole memory (refreshed after growth). */
  i32: Int32Array;
  /**
   * Makes sure the scratch heap holds `bytes` bytes and returns its byte offset (HEAP_BASE in the
   * unshared memory; a heap block, which may move between calls, in the shared one); views are
   * refreshed when the memory grew. Throws a RangeError past the memory's limit.
   */
  reserve(bytes: number): number;
}

function validates(body: Code, operands: number): boolean {
  const f = new Fn('t', [], [V128]);
  for (let i = 0; i < operands; i++) f.emit(simd(0x0c), new Array<number>(16).fill(0));
  f.emit(body);
  try {
    return WebAssembly.validate(assemble([f], { initial: 1, maximum: 1, shared: false }));
  } catch {
    return false;
  }
}

/** Every function of the module, in index order. */
function moduleFns(relaxed: boolean): Fn[] {
  const gemm = gemmFns(0, relaxed);
  return [...gemm, ...elementwiseFns(gemm.length), ...selectFns(), ...optimFns(), ...convFns()];
}

function makeMemory(shared: boolean): { memory: WebAssembly.Memory; maximum: number } | null {
  const initial = Math.ceil((HEAP_BASE + 16 * PAGE) / PAGE);
  if (!shared) return { memory: new WebAssembly.Memory({ initial, maximum: 65536 }), maximum: 65536 };
  if (typeof SharedArrayBuffer !== 'function') return null;
  for (const maximum of [65536, 32768, 16384]) {
    try {
      return { memory: new WebAssembly.Memory({ initial, maximum, shared: true }), maximum };
    } catch {
      // try a smaller reservation
    }
  }
  return null;
}

let features: { relaxed: boolean; fnDefs: Fn[] } | null | undefined;
let local: WasmRuntime | null | undefined;
let sharedRt: WasmRuntime | null | undefined;

/** Names of the exported functions in index order (worker command lists use the indices). */
export let FN_NAMES: readonly string[] = [];

/** Feature detection and the function definitions, once; null without WebAssembly SIMD. */
function moduleFeatures(): { relaxed: boolean; fnDefs: Fn[] } | null {
  if (features !== undefined) return features;
  features = null;
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    if (env?.['BACKSTEP_NO_WASM'] === '1' || typeof WebAssembly !== 'object') return null;
    if (!validates(op.fAdd, 2)) return null;
    const relaxed = env?.['BACKSTEP_NO_RELAXED_SIMD'] !== '1' && validates(op.fMadd, 3);
    const fnDefs = moduleFns(relaxed);
    FN_NAMES = fnDefs.map((f) => f.name ?? '');
    features = { relaxed, fnDefs };
  } catch {
    features = null;
  }
  return features;
}

/** An instance of the kernel module over a new memory (shared or not); null when that is impossible. */
function build(shared: boolean): WasmRuntime | null {
  const feat = moduleFeatures();
  if (feat === null) return null;
  try {
    const mem = makeMemory(shared);
    if (mem === null) return null;
    const { memory, maximum } = mem;
    const module = new WebAssembly.Module(assemble(feat.fnDefs, { initial: 1, maximum, shared }));
    const exports = new WebAssembly.Instance(module, { env: { mem: memory } }).exports as Record<string, WasmFn>;
    const fnList = FN_NAMES.map((n) => exports[n] as WasmFn);
    const refresh = (): void => {
      if (rt.f32.buffer !== memory.buffer) {
        rt.f32 = new Float32Array(memory.buffer);
        rt.i32 = new Int32Array(memory.buffer);
      }
    };
    const heap = shared ? new WasmHeap(memory, HEAP_BASE, maximum, refresh) : null;
    let scratch = -1;
    let scratchBytes = 0;
    const rt: WasmRuntime = {
      module,
      memory,
      shared,
      relaxed: feat.relaxed,
      tile: tileFor(feat.relaxed),
      heap,
      fns: exports,
      fnList,
      f32: new Float32Array(memory.buffer),
      i32: new Int32Array(memory.buffer),
      reserve(bytes: number): number {
        if (heap !== null) {
          if (bytes > scratchBytes) {
            if (scratch >= 0) heap.freeBlock(scratch);
            scratchBytes = 0;
            scratch = heap.allocBlock(bytes);
            if (scratch < 0) throw new RangeError(`cpu backend: WebAssembly heap limit reached (${bytes} scratch bytes)`);
            scratchBytes = bytes;
          }
          refresh();
          return scratch;
        }
        const need = HEAP_BASE + bytes;
        const have = memory.buffer.byteLength;
        if (need > have) {
          const pages = Math.ceil((need - have) / PAGE);
          if (have / PAGE + pages > maximum) throw new RangeError(`cpu backend: WebAssembly heap limit reached (${need} bytes)`);
          memory.grow(pages);
        }
        refresh();
        return HEAP_BASE;
      },
    };
    return rt;
  } catch {
    return null;
  }
}

/**
 * The kernel runtime of the calling thread (an ordinary, unshared memory), created on first use;
 * null where WebAssembly SIMD is unavailable (the kernels then keep their plain TypeScript loops).
 * Set `BACKSTEP_NO_WASM=1` to force that.
 */
export function wasmRuntime(): WasmRuntime | null {
  if (local === undefined) local = build(false);
  return local;
}

/**
 * The runtime over shared memory that the worker pool runs on (kernels split over threads copy
 * their operands into it), created on first use; null without WebAssembly SIMD or shared memory.
 */
export function sharedRuntime(): WasmRuntime | null {
  if (sharedRt === undefined) sharedRt = wasmRuntime() === null ? null : build(true);
  return sharedRt;
}

let heapOff = false;
let heapAllowed: boolean | undefined;

/**
 * The heap that float32 tensor buffers of the CPU backend are allocated in (inside the shared
 * memory, where every kernel — on this thread or a worker — addresses them without copying);
 * null without shared memory or `FinalizationRegistry`, or when `BACKSTEP_NO_WASM_HEAP=1` (or
 * {@link setTensorHeapEnabled}(false)) asks for plain host arrays.
 */
export function tensorHeap(): WasmHeap | null {
  if (heapOff) return null;
  if (heapAllowed === undefined) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    heapAllowed = typeof FinalizationRegistry === 'function' && env?.['BACKSTEP_NO_WASM_HEAP'] !== '1';
  }
  return heapAllowed ? (sharedRuntime()?.heap ?? null) : null;
}

/** Turns allocation of new tensor buffers in the WebAssembly heap on or off (existing buffers stay where they are). */
export function setTensorHeapEnabled(enabled: boolean): void {
  heapOff = !enabled;
}

/** Frees the heap block of a view from the tensor heap; false (nothing done) for any other array. */
export function releaseHeapView(view: Float32Array): boolean {
  const heap = sharedRt?.heap;
  return heap !== undefined && heap !== null && heap.release(view);
}

/** The byte offset of `a` in `rt`'s memory when it lives there (a heap view), else -1. */
export function offsetIn(rt: WasmRuntime, a: ArrayBufferView): number {
  return rt.heap === null ? -1 : rt.heap.offsetOf(a);
}

/** Rounds a byte count up to a multiple of 64 (cache-line alignment of scratch buffers). */
export function align64(bytes: number): number {
  return (bytes + 63) & ~63;
}
