/** Counts of a {@link BufferPool}. */
export interface PoolStats {
  /** Buffers handed out and not yet released. */
  inUseBuffers: number;
  /** Bytes of those buffers (their rounded allocation sizes). */
  inUseBytes: number;
  /** Released buffers kept for reuse (ready or waiting for the submit that last used them). */
  freeBuffers: number;
  /** Bytes of those buffers. */
  freeBytes: number;
  /** Buffers created over the pool's life (a long loop with a warm pool keeps this flat). */
  created: number;
  /** Acquisitions served from the free lists. */
  reused: number;
}

/** What the pool needs from a device. */
export interface PoolDevice {
  createBuffer(descriptor: GPUBufferDescriptor): GPUBuffer;
}

/**
 * Rounds a byte size up to the size class the pool allocates: multiples of 256 bytes up to 4 KiB,
 * then 8 steps per power of two (at most 12.5% waste), so buffers of similar sizes are shared.
 */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, Math.ceil(bytes / 4) * 4);
  if (b <= 4096) return Math.ceil(b / 256) * 256 || 256;
  const step = 2 ** (Math.floor(Math.log2(b)) - 3);
  return Math.ceil(b / step) * step;
}

/**
 * A pool of GPU buffers keyed by (size class, usage). A released buffer may still be read by
 * commands that are recorded but not yet submitted. A later *command* that writes it runs after
 * them, so kernel outputs may reuse it at once (`acquire(..., { gpuWrite: true })`); but
 * `queue.writeBuffer` would run before them, so uploads only get buffers that were released before
 * the last submit ({@link BufferPool.recycle} moves pending buffers to the free lists right after
 * each submit). Free buffers beyond `maxFreeBytes` are destroyed.
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private pending = new Map<string, GPUBuffer[]>();
  private readonly sizes = new WeakMap<GPUBuffer, number>();
  private stats: PoolStats = { inUseBuffers: 0, inUseBytes: 0, freeBuffers: 0, freeBytes: 0, created: 0, reused: 0 };

  /**
   * @param device creates buffers on a pool miss
   * @param maxFreeBytes cap on bytes kept in the free lists
   * @param create optional allocation hook (the backend wraps creation in error scopes)
   */
  constructor(
    private readonly device: PoolDevice,
    readonly maxFreeBytes = 512 * 1024 * 1024,
    private readonly create: (descriptor: GPUBufferDescriptor) => GPUBuffer = (d) => device.createBuffer(d),
  ) {}

  private static key(size: number, usage: number): string {
    return `${usage}:${size}`;
  }

  /**
   * A buffer of at least `bytes` bytes with exactly `usage`, reused when one is free. With
   * `gpuWrite` (the buffer is first written by a recorded command, not by `queue.writeBuffer`),
   * buffers released since the last submit qualify too.
   */
  acquire(bytes: number, usage: number, options: { gpuWrite?: boolean; label?: string } = {}): GPUBuffer {
    const size = sizeClass(bytes);
    const key = BufferPool.key(size, usage);
    let buffer = (options.gpuWrite ? this.pending.get(key)?.pop() : undefined) ?? this.free.get(key)?.pop();
    if (buffer !== undefined) {
      this.stats.freeBuffers--;
      this.stats.freeBytes -= size;
      this.stats.reused++;
    } else {
      buffer = this.create({ size, usage, ...(options.label ? { label: options.label } : {}) });
      this.sizes.set(buffer, size);
      this.stats.created++;
    }
    this.stats.inUseBuffers++;
    this.stats.inUseBytes += size;
    return buffer;
  }

  /** The allocation size of a pooled buffer. */
  sizeOf(buffer: GPUBuffer): number {
    return this.sizes.get(buffer) ?? buffer.size;
  }

  /** Hands a buffer back; it becomes reusable after the next {@link recycle}. */
  release(buffer: GPUBuffer): void {
    const size = this.sizeOf(buffer);
    this.stats.inUseBuffers--;
    this.stats.inUseBytes -= size;
    this.stats.freeBuffers++;
    this.stats.freeBytes += size;
    const key = BufferPool.key(size, buffer.usage);
    let list = this.pending.get(key);
    if (list === undefined) this.pending.set(key, (list = []));
    list.push(buffer);
  }

  /** Makes the buffers released before the last submit reusable (call right after `queue.submit`). */
  recycle(): void {
    for (const [key, buffers] of this.pending) {
      for (const buffer of buffers) {
        if (this.stats.freeBytes > this.maxFreeBytes) {
          this.stats.freeBuffers--;
          this.stats.freeBytes -= this.sizeOf(buffer);
          buffer.destroy();
          continue;
        }
        let list = this.free.get(key);
        if (list === undefined) this.free.set(key, (list = []));
        list.push(buffer);
      }
    }
    this.pending.clear();
  }

  /** Current counts. */
  getStats(): PoolStats {
    return { ...this.stats };
  }

  /** Destroys every free and pending buffer (call after a submit; in-use buffers stay valid). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    for (const list of this.pending.values()) for (const b of list) b.destroy();
    this.pending.clear();
    this.stats.freeBuffers = 0;
    this.stats.freeBytes = 0;
  }
}

