import { TENSOR_USAGE } from './gpu-flags.js';

/** Builds the error of a failed check from the words its shader stored (the offending value first). */
export type DescribeFailure = (value: number, aux: number) => Error;

/**
 * A check whose outcome is only known after the GPU has run: an index bound checked by a shader,
 * or an allocation's error scope. Outputs of a kernel carry the pending checks of its inputs and
 * its own, and `read` throws the first failure, so an out-of-range index surfaces as a RangeError
 * when the result (or anything computed from it) is read.
 */
export class DeferredCheck {
  /** `pending` until the GPU's answer is known. */
  status: 'pending' | 'ok' | 'failed' = 'pending';
  /** The error of a failed check. */
  error: Error | null = null;
  /** Resolves once the status is final; null while the check's error slot has not been sealed. */
  settled: Promise<void> | null = null;

  constructor(private readonly describe: DescribeFailure) {}

  /** Records the GPU's answer. */
  finish(failed: boolean, value = 0, aux = 0): void {
    if (this.status !== 'pending') return;
    this.status = failed ? 'failed' : 'ok';
    if (failed) this.error = this.describe(value, aux);
  }

  /** Marks the check failed with a given error (device loss, allocation failure). */
  fail(error: Error): void {
    if (this.status !== 'pending') return;
    this.status = 'failed';
    this.error = error;
  }
}

/**
 * Creates a buffer inside `out-of-memory` and `validation` error scopes. The returned check settles
 * when the scopes are popped and fails with a RangeError naming the size when allocation failed.
 */
export function createBufferChecked(device: GPUDevice, descriptor: GPUBufferDescriptor): { buffer: GPUBuffer; check: DeferredCheck } {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const buffer = device.createBuffer(descriptor);
  const validation = device.popErrorScope();
  const oom = device.popErrorScope();
  const check = new DeferredCheck(() => new Error('unreachable'));
  check.settled = Promise.all([validation, oom]).then(
    ([v, o]) => {
      const e = o ?? v;
      if (e) check.fail(new RangeError(`webgpu backend: out of memory: allocating ${descriptor.size} bytes failed: ${e.message}`));
      else check.finish(false);
    },
    (e: unknown) => check.fail(e instanceof Error ? e : new Error(String(e))),
  );
  return { buffer, check };
}

/** Words per error slot: flag, value, aux, unused. */
export const SLOT_WORDS = 4;
/** Slots per error chunk buffer. */
export const SLOTS_PER_CHUNK = 64;
const CHUNK_BYTES = SLOT_WORDS * SLOTS_PER_CHUNK * 4;

interface Chunk {
  buffer: GPUBuffer;
  checks: DeferredCheck[];
}

/** An error slot handed to a kernel: bind `buffer`, pass `word` (the slot's first word) in the parameters. */
export interface ErrorSlot {
  /** The chunk buffer to bind as `array<atomic<u32>>`. */
  readonly buffer: GPUBuffer;
  /** Index of the slot's first word in that buffer. */
  readonly word: number;
  /** The check the slot answers. */
  readonly check: DeferredCheck;
}

/**
 * Error slots in small GPU buffers ("chunks"). A shader that finds a bad index sets the slot's flag
 * and stores the value; `seal` copies the chunks in use to a staging buffer, and once it is mapped
 * every check of those chunks gets its final status and the chunks are cleared for reuse.
 */
export class ErrorTracker {
  private open: Chunk | null = null;
  private readonly used: Chunk[] = [];
  private readonly spare: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {}

  /** A fresh slot whose failure is described by `describe`. */
  allocate(describe: DescribeFailure): ErrorSlot {
    if (this.open === null || this.open.checks.length === SLOTS_PER_CHUNK) {
      const buffer = this.spare.pop() ?? this.device.createBuffer({ size: CHUNK_BYTES, usage: TENSOR_USAGE, label: 'backstep error slots' });
      this.open = { buffer, checks: [] };
      this.used.push(this.open);
    }
    const check = new DeferredCheck(describe);
    const word = this.open.checks.length * SLOT_WORDS;
    this.open.checks.push(check);
    return { buffer: this.open.buffer, word, check };
  }

  /** Whether some slots have not been sealed yet. */
  get hasUnsealed(): boolean {
    return this.used.length > 0;
  }

  /** Number of slots allocated and not yet sealed. */
  get unsealedSlots(): number {
    return this.used.reduce((n, c) => n + c.checks.length, 0);
  }

  /**
   * Encodes copies of every chunk in use into `staging` (at least `bytesNeeded()` bytes) and returns
   * a function to call once `staging` is mapped: it settles the checks and recycles the chunks.
   * New slots allocated after `seal` go to new chunks.
   */
  seal(encoder: GPUCommandEncoder, staging: GPUBuffer): { checks: DeferredCheck[]; settle: (words: Uint32Array | null, error?: Error) => void } {
    const chunks = this.used.splice(0);
    this.open = null;
    chunks.forEach((c, i) => encoder.copyBufferToBuffer(c.buffer, 0, staging, i * CHUNK_BYTES, CHUNK_BYTES));
    const settle = (words: Uint32Array | null, error?: Error): void => {
      chunks.forEach((c, i) => {
        c.checks.forEach((check, s) => {
          if (words === null) {
            check.fail(error ?? new Error('webgpu backend: the index checks could not be read back'));
            return;
          }
          const w = i * SLOTS_PER_CHUNK * SLOT_WORDS + s * SLOT_WORDS;
          check.finish((words[w] as number) !== 0, (words[w + 1] as number) | 0, (words[w + 2] as number) | 0);
        });
        if (words !== null) {
          this.device.queue.writeBuffer(c.buffer, 0, new Uint32Array(SLOTS_PER_CHUNK * SLOT_WORDS));
          this.spare.push(c.buffer);
        }
      });
    };
    return { checks: chunks.flatMap((c) => c.checks), settle };
  }

  /** Staging bytes needed to seal the chunks in use. */
  bytesNeeded(): number {
    return this.used.length * CHUNK_BYTES;
  }

  /** Destroys the chunk buffers. */
  destroy(): void {
    for (const c of this.used) c.buffer.destroy();
    for (const b of this.spare) b.destroy();
    this.used.length = 0;
    this.spare.length = 0;
    this.open = null;
  }
}
