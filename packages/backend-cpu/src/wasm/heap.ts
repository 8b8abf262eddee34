/**
 * An allocator of blocks inside a WebAssembly memory, so that float32 tensor buffers can live
 * where the WASM kernels address them directly (no copying into and out of a scratch heap).
 *
 * Blocks are 64-byte aligned. Freed blocks merge with free neighbours; a free block reaching the
 * top of the carved region lowers the top instead. Allocation takes an exact-size free block if
 * there is one, else the smallest larger free block (split), else carves from the top, growing
 * the memory; it returns -1 past the memory's limit (callers then fall back to host arrays).
 * WebAssembly memory never shrinks: the heap's high-water mark stays reserved for reuse.
 */

const PAGE = 65536;
/** Block alignment and granularity in bytes (a cache line). */
export const BLOCK_ALIGN = 64;

/** Counts of a {@link BlockAllocator} (bytes). */
export interface HeapStats {
  /** Bytes in live blocks. */
  usedBytes: number;
  /** Bytes in free blocks below the top. */
  freeBytes: number;
  /** End of the carved region (byte offset). */
  top: number;
  /** Live blocks. */
  blocks: number;
}

/**
 * Block bookkeeping over a region `[base, limit)` of byte offsets. `grow(end)` is called before
 * the top moves past the memory's current end; it returns false when the memory cannot grow.
 */
export class BlockAllocator {
  private topOffset: number;
  private readonly live = new Map<number, number>();
  private readonly freeStart = new Map<number, number>();
  private readonly freeEnd = new Map<number, number>();
  private readonly bySize = new Map<number, Set<number>>();
  private used = 0;
  private freeTotal = 0;

  constructor(
    private readonly base: number,
    private readonly limit: number,
    private readonly grow: (end: number) => boolean,
  ) {
    if (base % BLOCK_ALIGN !== 0) throw new RangeError(`heap: base ${base} is not ${BLOCK_ALIGN}-byte aligned`);
    this.topOffset = base;
  }

  /** The offset of a new block of at least `bytes` bytes, or -1 when the region is full. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`heap: invalid block size ${bytes}`);
    const size = Math.max(BLOCK_ALIGN, Math.ceil(bytes / BLOCK_ALIGN) * BLOCK_ALIGN);
    let ptr = this.takeFree(size);
    if (ptr < 0) {
      // extend a free block that ends at the top, else carve a new one
      const last = this.freeEnd.get(this.topOffset);
      const start = last ?? this.topOffset;
      const end = start + size;
      if (end > this.limit || !this.grow(end)) return -1;
      if (last !== undefined) this.removeFree(last);
      this.topOffset = end;
      ptr = start;
    }
    this.live.set(ptr, size);
    this.used += size;
    return ptr;
  }

  /** Frees the block at `ptr`; throws for an offset that is not a live block. */
  free(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`heap: ${ptr} is not a live block`);
    this.live.delete(ptr);
    this.used -= size;
    let start = ptr;
    let end = ptr + size;
    const before = this.freeEnd.get(start);
    if (before !== undefined) {
      this.removeFree(before);
      start = before;
    }
    const afterSize = this.freeStart.get(end);
    if (afterSize !== undefined) {
      this.removeFree(end);
      end += afterSize;
    }
    if (end === this.topOffset) this.topOffset = start;
    else this.addFree(start, end - start);
  }

  /** The size in bytes of the live block at `ptr`, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  /** Current counts. */
  stats(): HeapStats {
    return { usedBytes: this.used, freeBytes: this.freeTotal, top: this.topOffset, blocks: this.live.size };
  }

  private takeFree(size: number): number {
    const exact = this.bySize.get(size);
    if (exact !== undefined) {
      const ptr = exact.values().next().value as number;
      this.removeFree(ptr);
      return ptr;
    }
    let best = -1;
    let bestSize = Infinity;
    for (const [s, set] of this.bySize) {
      if (s > size && s < bestSize) {
        bestSize = s;
        best = set.values().next().value as number;
      }
    }
    if (best < 0) return -1;
    this.removeFree(best);
    this.addFree(best + size, bestSize - size);
    return best;
  }

  private addFree(start: number, size: number): void {
    this.freeStart.set(start, size);
    this.freeEnd.set(start + size, start);
    let set = this.bySize.get(size);
    if (set === undefined) this.bySize.set(size, (set = new Set()));
    set.add(start);
    this.freeTotal += size;
  }

  private removeFree(start: number): void {
    const size = this.freeStart.get(start) as number;
    this.freeStart.delete(start);
    this.freeEnd.delete(start + size);
    const set = this.bySize.get(size) as Set<number>;
    set.delete(start);
    if (set.size === 0) this.bySize.delete(size);
    this.freeTotal -= size;
  }
}

/**
 * Float32 arrays inside a (shared) WebAssembly memory: {@link WasmHeap.allocF32} hands out views
 * that the kernels address by their byte offset ({@link WasmHeap.offsetOf}). A view's block is
 * freed by {@link WasmHeap.release}, or when the view is garbage-collected without it.
 * Views stay valid when the memory grows only because the memory is shared (growing an unshared
 * memory detaches its old buffer), so the heap is only built over shared memory.
 */
export class WasmHeap {
  private readonly blocks: BlockAllocator;
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private readonly finalizer: FinalizationRegistry<number>;

  /**
   * A heap over `memory` from byte `base` up to `maxPages` pages; `onGrow` runs after the memory
   * grew (to refresh views of the whole memory).
   */
  constructor(private readonly memory: WebAssembly.Memory, base: number, maxPages: number, onGrow: () => void = () => undefined) {
    this.blocks = new BlockAllocator(base, maxPages * PAGE, (end) => {
      const have = memory.buffer.byteLength;
      if (end <= have) return true;
      try {
        memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        return false;
      }
      onGrow();
      return true;
    });
    this.finalizer = new FinalizationRegistry((ptr) => this.blocks.free(ptr));
  }

  /** A new float32 view of `n` elements inside the memory (contents unspecified), or null when full. */
  allocF32(n: number): Float32Array | null {
    const ptr = this.blocks.alloc(4 * n);
    if (ptr < 0) return null;
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    const view = new Float32Array(buffer, ptr, n);
    this.finalizer.register(view, ptr, view);
    return view;
  }

  /** Frees the block of a view from {@link allocF32}; false (and nothing done) for any other array or a second release. */
  release(view: Float32Array): boolean {
    if (!this.finalizer.unregister(view)) return false;
    this.blocks.free(view.byteOffset);
    return true;
  }

  /** Whether `a` is a view into this heap's memory (then kernels address it at {@link offsetOf}). */
  holds(a: ArrayBufferView): boolean {
    return this.buffers.has(a.buffer);
  }

  /** The byte offset of a view into this heap's memory, or -1 for an array elsewhere. */
  offsetOf(a: ArrayBufferView): number {
    return this.buffers.has(a.buffer) ? a.byteOffset : -1;
  }

  /**
   * The bytes of the block that `a` starts (a view from {@link allocF32}: at least its byteLength,
   * rounded up to {@link BLOCK_ALIGN}), or 0 when `a` does not start a live block of this heap.
   * Kernels may then process whole 64-byte granules past the view's end.
   */
  blockBytes(a: ArrayBufferView): number {
    return this.buffers.has(a.buffer) ? (this.blocks.sizeOf(a.byteOffset) ?? 0) : 0;
  }

  /** A raw block of `bytes` bytes (scratch space; never garbage-collected), or -1 when full. */
  allocBlock(bytes: number): number {
    return this.blocks.alloc(bytes);
  }

  /** Frees a raw block from {@link allocBlock}. */
  freeBlock(ptr: number): void {
    this.blocks.free(ptr);
  }

  /** Current counts. */
  stats(): HeapStats {
    return this.blocks.stats();
  }
}
