/**
 * The WebAssembly kernel runtime: assembles the kernel module once (relaxed SIMD fused
 * multiply-add where the engine validates it, plain SIMD otherwise), owns its linear memory
 * (shared when `SharedArrayBuffer` is available, so worker threads can run the same module over
 * the same memory) and hands out the scratch heap kernels copy their operands into.
 *
 * Memory layout: [0, HEAP_BASE) holds the thread pool's control words and per-thread command
 * lists; the scratch heap starts at HEAP_BASE and grows on demand. Only the main thread grows it.
 */
import { assemble, Fn, V128, op, simd, type Code } from './asm.js';
import { elementwiseFns } from './elementwise-fns.js';
import { gemmFns, tileFor, type Tile } from './gemm-fns.js';
import { optimFns } from './optim-fns.js';
import { selectFns } from './select-fns.js';

/** Bytes reserved below the scratch heap for thread control and command lists. */
export const HEAP_BASE = 1 << 20;
const PAGE = 65536;

/** The exported kernel functions (all arguments are i32 byte offsets/counts). */
export type WasmFn = (...args: number[]) => void;

/** A loaded kernel module over its memory. */
export interface WasmRuntime {
  /** The compiled module (workers instantiate it over {@link WasmRuntime.memory}). */
  readonly module: WebAssembly.Module;
  /** The linear memory (shared when threads are possible). */
  readonly memory: WebAssembly.Memory;
  /** Whether {@link WasmRuntime.memory} is shared (a SharedArrayBuffer). */
  readonly shared: boolean;
  /** Whether the micro-kernels use relaxed-SIMD fused multiply-add. */
  readonly relaxed: boolean;
  /** The matmul micro-tile the module was built with. */
  readonly tile: Tile;
  /** Exported functions by name. */
  readonly fns: Readonly<Record<string, WasmFn>>;
  /** The functions by index, in {@link FN_NAMES} order (what command lists refer to). */
  readonly fnList: readonly WasmFn[];
  /** A float32 view of the whole memory (refreshed after growth). */
  f32: Float32Array;
  /** An int32 view of the whole memory (refreshed after growth). */
  i32: Int32Array;
  /**
   * Makes sure the scratch heap holds `bytes` bytes from HEAP_BASE and returns HEAP_BASE;
   * views are refreshed when the memory grew. Throws a RangeError past the 4 GiB limit.
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
  return [...gemm, ...elementwiseFns(gemm.length), ...selectFns(), ...optimFns()];
}

function makeMemory(): { memory: WebAssembly.Memory; shared: boolean; maximum: number } {
  const initial = Math.ceil((HEAP_BASE + 16 * PAGE) / PAGE);
  if (typeof SharedArrayBuffer === 'function') {
    for (const maximum of [65536, 32768, 16384]) {
      try {
        return { memory: new WebAssembly.Memory({ initial, maximum, shared: true }), shared: true, maximum };
      } catch {
        // try a smaller reservation, then unshared memory
      }
    }
  }
  return { memory: new WebAssembly.Memory({ initial, maximum: 65536 }), shared: false, maximum: 65536 };
}

let runtime: WasmRuntime | null | undefined;

/** Names of the exported functions in index order (worker command lists use the indices). */
export let FN_NAMES: readonly string[] = [];

/**
 * The kernel runtime, created on first use; null where WebAssembly SIMD is unavailable (the
 * kernels then keep their plain TypeScript loops). Set `BACKSTEP_NO_WASM=1` to force that.
 */
export function wasmRuntime(): WasmRuntime | null {
  if (runtime !== undefined) return runtime;
  runtime = null;
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    if (env?.['BACKSTEP_NO_WASM'] === '1' || typeof WebAssembly !== 'object') return null;
    if (!validates(op.fAdd, 2)) return null;
    const relaxed = env?.['BACKSTEP_NO_RELAXED_SIMD'] !== '1' && validates(op.fMadd, 3);
    const fnDefs = moduleFns(relaxed);
    const { memory, shared, maximum } = makeMemory();
    const module = new WebAssembly.Module(assemble(fnDefs, { initial: 1, maximum, shared }));
    const exports = new WebAssembly.Instance(module, { env: { mem: memory } }).exports as Record<string, WasmFn>;
    FN_NAMES = fnDefs.map((f) => f.name ?? '');
    const fnList = FN_NAMES.map((n) => exports[n] as WasmFn);
    const rt: WasmRuntime = {
      module,
      memory,
      shared,
      relaxed,
      tile: tileFor(relaxed),
      fns: exports,
      fnList,
      f32: new Float32Array(memory.buffer),
      i32: new Int32Array(memory.buffer),
      reserve(bytes: number): number {
        const need = HEAP_BASE + bytes;
        const have = memory.buffer.byteLength;
        if (need > have) {
          const pages = Math.ceil((need - have) / PAGE);
          if (have / PAGE + pages > maximum) throw new RangeError(`cpu backend: WebAssembly heap limit reached (${need} bytes)`);
          memory.grow(pages);
        }
        if (rt.f32.buffer.byteLength !== memory.buffer.byteLength || rt.f32.buffer !== memory.buffer) {
          rt.f32 = new Float32Array(memory.buffer);
          rt.i32 = new Int32Array(memory.buffer);
        }
        return HEAP_BASE;
      },
    };
    runtime = rt;
  } catch {
    runtime = null;
  }
  return runtime;
}

/** Rounds a byte count up to a multiple of 64 (cache-line alignment of scratch buffers). */
export function align64(bytes: number): number {
  return (bytes + 63) & ~63;
}
