import type { BufferPool } from './buffer-pool.js';
import { META_USAGE } from './gpu-flags.js';

/** Bytes of one parameter arena (the batch is submitted early when it fills up). */
const ARENA_BYTES = 64 * 1024;

/**
 * The commands recorded since the last submit: one command encoder with at most one open compute
 * pass, and a parameter arena. Each dispatch's parameters (`prm`) are appended to a host array and
 * bound at an aligned offset of one storage buffer, which is uploaded with a single
 * `queue.writeBuffer` right before the batch is submitted (so it lands before the dispatches
 * that read it, and no per-dispatch upload is needed).
 */
export class CommandBatch {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private arena: GPUBuffer | null = null;
  private readonly words = new Int32Array(ARENA_BYTES / 4);
  private used = 0;
  /** Dispatches recorded in this batch. */
  dispatches = 0;
  private readonly align: number;

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
  ) {
    this.align = Math.max(256, device.limits.minStorageBufferOffsetAlignment ?? 256);
  }

  /** Whether anything was recorded. */
  get isEmpty(): boolean {
    return this.encoder === null;
  }

  /** The encoder for copy commands (ends the open compute pass). */
  copyEncoder(): GPUCommandEncoder {
    if (this.pass !== null) {
      this.pass.end();
      this.pass = null;
    }
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }

  /** The open compute pass (begun on demand). */
  computePass(): GPUComputePassEncoder {
    this.pass ??= (this.encoder ??= this.device.createCommandEncoder()).beginComputePass();
    return this.pass;
  }

  /** Whether `count` more parameter words fit into the arena. */
  fits(count: number): boolean {
    return this.used + Math.ceil((count * 4) / this.align) * this.align <= ARENA_BYTES;
  }

  /** Stores parameters for one dispatch and returns their binding (needs {@link fits}). */
  bindParams(params: ArrayLike<number>): GPUBufferBinding {
    const count = Math.max(1, params.length);
    if (count * 4 > ARENA_BYTES) throw new RangeError(`webgpu backend: ${count} kernel parameters exceed the ${ARENA_BYTES / 4}-word limit`);
    this.arena ??= this.pool.acquire(ARENA_BYTES, META_USAGE);
    const offset = this.used;
    this.words.set(params.length > 0 ? params : [0], offset / 4);
    this.used += Math.ceil((count * 4) / this.align) * this.align;
    return { buffer: this.arena, offset, size: count * 4 };
  }

  /** Ends recording: uploads the parameters and returns the command buffer (null when empty). */
  finish(): GPUCommandBuffer | null {
    if (this.encoder === null) return null;
    this.pass?.end();
    this.pass = null;
    if (this.arena !== null) {
      this.device.queue.writeBuffer(this.arena, 0, this.words, 0, this.used / 4);
      this.pool.release(this.arena);
      this.arena = null;
    }
    const commands = this.encoder.finish();
    this.encoder = null;
    this.used = 0;
    this.dispatches = 0;
    return commands;
  }

  /** Drops whatever was recorded (the backend is being disposed). */
  discard(): void {
    this.pass = null;
    this.encoder = null;
    this.arena = null;
    this.used = 0;
    this.dispatches = 0;
  }
}
