import {
  allocArray,
  fmtShape,
  itemSize,
  sizeOf,
  ShapeError,
  type Backend,
  type BackendMemory,
  type DataArray,
  type DataId,
  type DType,
  type Shape,
  type TensorInfo,
} from '@backstep/tensor';
import { releaseHeapView, setTensorHeapEnabled, sharedRuntime, tensorHeap, wasmRuntime } from './wasm/runtime.js';
import type { HeapStats } from './wasm/heap.js';
import { requestedThreads, setThreadCount, startPool, threadCount } from './wasm/thread-pool.js';

/**
 * The data id of a CPU buffer: the host typed array holding its elements
 * (Float32Array for float32, Float64Array for float64, Int32Array for int32, Uint8Array of 0/1 for bool).
 */
export class CpuData {
  private store: DataArray;
  /** While set, this buffer is a pending (lazy) copy of `source`'s values. */
  private source: CpuData | null = null;
  /** Pending lazy copies of this buffer. */
  private dependents: CpuData[] | null = null;
  /** The element type. */
  readonly dtype: DType;
  /** Set once the buffer has been released. */
  disposed = false;

  /** Wraps `values` (taking ownership, no copy). */
  constructor(values: DataArray, dtype: DType) {
    this.store = values;
    this.dtype = dtype;
  }

  /** The elements, row-major (a pending lazy copy is carried out first). */
  get values(): DataArray {
    if (this.source !== null) this.materialize();
    return this.store;
  }

  /**
   * A buffer that copies `src` lazily into `into` (same length): the copy happens on first read,
   * or never when an out-of-place kernel overwrites it from `src` ({@link takeForOverwrite}).
   */
  static lazyCopy(src: CpuData, into: DataArray): CpuData {
    const d = new CpuData(into, src.dtype);
    d.source = src;
    (src.dependents ??= []).push(d);
    return d;
  }

  /** Carries out a pending lazy copy. */
  materialize(): void {
    const s = this.source;
    if (s === null) return;
    this.detach();
    this.store.set(s.values);
  }

  /**
   * For a kernel about to overwrite every element: the array to write (`dst`) and the one holding
   * the current values (`src`: the source of a pending lazy copy, else `dst` itself). The pending
   * copy counts as done; the caller must read `src` before anything else writes it.
   */
  takeForOverwrite(): { dst: DataArray; src: DataArray } {
    const s = this.source;
    if (s === null) return { dst: this.store, src: this.store };
    this.detach();
    return { dst: this.store, src: s.values };
  }

  /** The array of this buffer without carrying out a pending lazy copy (its contents may be stale). */
  peek(): DataArray {
    return this.store;
  }

  /** Carries out every pending lazy copy of this buffer (before it is written in place or released). */
  settleDependents(): void {
    const d = this.dependents;
    if (d === null) return;
    this.dependents = null;
    for (const x of d) x.materialize();
  }

  /** Drops the link to the source of a pending copy (the copy is then done or not needed). */
  detach(): void {
    const s = this.source;
    if (s === null) return;
    this.source = null;
    const list = s.dependents;
    if (list !== null) {
      const i = list.indexOf(this);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) s.dependents = null;
    }
  }
}

/** Whether `values` is the typed array type that stores `dtype`. */
function matchesDType(values: DataArray, dtype: DType): boolean {
  switch (dtype) {
    case 'float32':
      return values instanceof Float32Array;
    case 'float64':
      return values instanceof Float64Array;
    case 'int32':
      return values instanceof Int32Array;
    case 'bool':
      return values instanceof Uint8Array;
  }
}

/** Copies `values` into a fresh array of `dtype` (bools become 0/1, other kinds convert like `cast`). */
function copyAs(values: DataArray, dtype: DType): DataArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  } else if (dtype === 'int32' && !(values instanceof Int32Array)) {
    for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i] as number);
  } else {
    out.set(values);
  }
  return out;
}

/**
 * The CPU backend: buffers are host typed arrays, reads are synchronous. Kernels are registered
 * separately (see `registerCpuBackend`); they use {@link CpuBackend.dataOf} to get an input's
 * array and {@link CpuBackend.makeOutput} to hand back a freshly computed one without copying.
 */
export class CpuBackend implements Backend {
  /** Kernels are registered under this name. */
  readonly name = 'cpu';
  /** Reads never wait on a device. */
  readonly supportsSyncRead = true;
  private numBuffers = 0;
  private numBytes = 0;
  private readonly pool = new Map<string, DataArray[]>();
  private poolBytes = 0;
  /** Most bytes of released arrays kept for reuse (see {@link CpuBackend.alloc}). Default 512 MiB. */
  poolLimitBytes = 512 * 1024 * 1024;

  /** Arrays smaller than this many elements are not pooled (allocating them is cheap). */
  static readonly POOL_MIN_ELEMENTS = 4096;

  /**
   * Float32 arrays of at least this many elements live in the WebAssembly heap (where the WASM
   * kernels read and write them in place) when it is available; see {@link CpuBackend.alloc}.
   */
  static readonly HEAP_MIN_ELEMENTS = 1024;

  /**
   * A typed array of `dtype` with `n` elements for a kernel output. Float32 arrays of at least
   * {@link CpuBackend.HEAP_MIN_ELEMENTS} elements are views into the WebAssembly heap (shared
   * memory: the kernels, on this thread and the workers, address them without copying; a view's
   * block is freed when its buffer is released, or when it is garbage-collected), falling back to
   * host arrays when that heap is unavailable or full. Other arrays are reused from released
   * buffers of the same type and size when possible (so steady loops stop allocating). The
   * contents are unspecified: overwrite all of it.
   */
  alloc(dtype: DType, n: number): DataArray {
    if (dtype === 'float32' && n >= CpuBackend.HEAP_MIN_ELEMENTS) {
      const view = tensorHeap()?.allocF32(n);
      if (view !== undefined && view !== null) return view;
    }
    if (n >= CpuBackend.POOL_MIN_ELEMENTS) {
      const list = this.pool.get(`${dtype}:${n}`);
      const reused = list?.pop();
      if (reused !== undefined) {
        this.poolBytes -= reused.byteLength;
        return reused;
      }
    }
    return allocArray(dtype, n);
  }

  /** A fresh array (from {@link alloc}) holding a copy of a kernel input's elements. */
  copyOf(info: TensorInfo): DataArray {
    const src = this.dataOf(info);
    const out = this.alloc(info.dtype, src.length);
    out.set(src);
    return out;
  }

  /**
   * Sets how many threads the WebAssembly kernels may use (matmul splits over a pool of worker
   * threads sharing the WASM memory): 1 runs everything on the calling thread; null restores the
   * default, the machine's logical cores. The pool is per process (shared by every engine), starts
   * in the background on the first kernel big enough to split (or on {@link startThreads}) and
   * needs shared memory (Node; browsers only when cross-origin isolated) — otherwise one thread.
   */
  setThreads(n: number | null): void {
    setThreadCount(n);
  }

  /** Threads the kernels use right now (the requested count once the pool is up, else fewer). */
  get threads(): number {
    return threadCount();
  }

  /** The requested thread count (see {@link setThreads}). */
  get requestedThreads(): number {
    return requestedThreads();
  }

  /** Starts the worker pool now; resolves with the number of threads then available. */
  startThreads(): Promise<number> {
    return startPool(sharedRuntime());
  }

  /** What the WebAssembly kernels run with, e.g. `wasm simd, relaxed fma, shared memory, 2 threads`. */
  wasmInfo(): string {
    const rt = wasmRuntime();
    if (rt === null) return 'no WebAssembly SIMD: plain TypeScript kernels';
    const shared = requestedThreads() > 1 && sharedRuntime() !== null;
    return `wasm simd${rt.relaxed ? ' + relaxed fma' : ''}, ${shared ? 'shared' : 'unshared'} memory, ` +
      `gemm tile ${rt.tile.MR}x${rt.tile.NR}, ${threadCount()} of ${requestedThreads()} threads`;
  }

  /**
   * Whether new float32 buffers go to the WebAssembly heap (default: yes where shared memory is
   * available). The heap is per process, like the worker pool; existing buffers stay where they are.
   */
  setWasmHeap(enabled: boolean): void {
    if (typeof enabled !== 'boolean') throw new TypeError(`setWasmHeap: expected true or false, got ${String(enabled)}`);
    setTensorHeapEnabled(enabled);
  }

  /** The WebAssembly tensor heap's counts, or null when buffers are host arrays (no shared memory, or turned off). */
  wasmHeapStats(): HeapStats | null {
    return tensorHeap()?.stats() ?? null;
  }

  /** Bytes held by released arrays kept for reuse. */
  pooledBytes(): number {
    return this.poolBytes;
  }

  /** Creates a buffer holding a copy of `values` (converted when their array type does not match `dtype`). */
  write(values: DataArray, dtype: DType, shape: Shape): DataId {
    const n = sizeOf(shape);
    if (values.length !== n) {
      throw new ShapeError(`cpu backend: ${values.length} values do not fit shape ${fmtShape(shape)} (${n} elements)`);
    }
    let copy: DataArray;
    if (matchesDType(values, dtype) && dtype !== 'bool') {
      copy = this.alloc(dtype, n);
      copy.set(values);
    } else {
      copy = copyAs(values, dtype);
    }
    return this.adopt(copy, dtype);
  }

  /** Reads a buffer (the stored array itself: callers copy before handing it out). */
  read(dataId: DataId): Promise<DataArray> {
    try {
      return Promise.resolve(this.readSync(dataId));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Reads a buffer synchronously (the stored array itself). */
  readSync(dataId: DataId): DataArray {
    return this.get(dataId).values;
  }

  /** Releases a buffer; releasing twice is a no-op. */
  disposeData(dataId: DataId): void {
    if (!(dataId instanceof CpuData) || dataId.disposed) return;
    dataId.settleDependents();
    dataId.detach();
    dataId.disposed = true;
    this.numBuffers--;
    this.numBytes -= dataId.values.byteLength;
    const v = dataId.takeForOverwrite().dst;
    if (v instanceof Float32Array && releaseHeapView(v)) return;
    if (v.length >= CpuBackend.POOL_MIN_ELEMENTS && this.poolBytes + v.byteLength <= this.poolLimitBytes) {
      const key = `${dataId.dtype}:${v.length}`;
      let list = this.pool.get(key);
      if (list === undefined) this.pool.set(key, (list = []));
      list.push(v);
      this.poolBytes += v.byteLength;
    }
  }

  /** Drops every pooled array (their memory returns to the JavaScript heap). */
  dispose(): void {
    this.pool.clear();
    this.poolBytes = 0;
  }

  /** Live buffers and their bytes. */
  memory(): BackendMemory {
    return { numBuffers: this.numBuffers, numBytes: this.numBytes };
  }

  /** The live buffer behind a data id; throws a clear error for foreign or released ids. */
  get(dataId: DataId): CpuData {
    if (!(dataId instanceof CpuData)) {
      throw new TypeError('cpu backend: the data id does not belong to the cpu backend');
    }
    if (dataId.disposed) throw new Error('cpu backend: the buffer has been released (tensor disposed)');
    return dataId;
  }

  /** The typed array of a kernel input. */
  dataOf(info: TensorInfo): DataArray {
    return this.get(info.dataId).values;
  }

  /**
   * Registers `values` as a new buffer without copying and returns it as a kernel output.
   * `values` must be `dtype`'s array type and hold `sizeOf(shape)` elements.
   */
  makeOutput(values: DataArray, shape: Shape, dtype: DType): TensorInfo {
    if (!matchesDType(values, dtype) || values.length !== sizeOf(shape)) {
      throw new Error(
        `cpu backend: output array (${values.constructor.name}, ${values.length} elements) does not match ` +
          `${dtype} ${fmtShape(shape)}`,
      );
    }
    return { dataId: this.adopt(values, dtype), shape: [...shape], dtype };
  }

  /**
   * A copy of `src` as a kernel output, made lazily (see {@link CpuData.lazyCopy}): nothing is
   * copied until it is read, and an out-of-place fused optimizer kernel that overwrites it reads
   * `src` and writes the copy in one pass (copy-on-write snapshots then cost no extra pass).
   */
  lazyCopyOutput(src: CpuData, shape: Shape): TensorInfo {
    const into = this.alloc(src.dtype, src.values.length);
    const d = CpuData.lazyCopy(src, into);
    this.numBuffers++;
    this.numBytes += into.length * itemSize(src.dtype);
    return { dataId: d, shape: [...shape], dtype: src.dtype };
  }

  private adopt(values: DataArray, dtype: DType): CpuData {
    this.numBuffers++;
    this.numBytes += values.length * itemSize(dtype);
    return new CpuData(values, dtype);
  }
}
