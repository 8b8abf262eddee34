import type { DType } from '@backstep/tensor';
import type { DeferredCheck, ErrorSlot } from './deferred-checks.js';

/** The data id of a WebGPU buffer: a pooled storage buffer of 4-byte elements plus its pending checks. */
export class WebGpuData {
  /** Set once the buffer has gone back to the pool. */
  disposed = false;
  constructor(
    /** The storage buffer (its size is a pool size class, at least `length * 4` bytes). */
    readonly buffer: GPUBuffer,
    /** Number of elements. */
    readonly length: number,
    /** The element type (bool is stored as u32 0/1). */
    readonly dtype: DType,
    /** Deferred checks (index bounds, allocation) this buffer's values depend on. */
    public checks: DeferredCheck[] = [],
  ) {}
}

/** One compute dispatch: a cached pipeline, its bindings and its grid. */
export interface Program {
  /** Specialisation key of the pipeline (op, dtypes, variant); shapes never belong here. */
  key: string;
  /** Generates the WGSL on a cache miss. Binding 0 is `meta`, then inputs, outputs, and the error slot. */
  source: () => string;
  /** Buffers bound read-only after `meta`, in order. */
  inputs: readonly WebGpuData[];
  /** Buffers bound read-write after the inputs (new outputs, or buffers this kernel just created). */
  outputs: readonly WebGpuData[];
  /** i32 parameters bound as `meta` (at least one word). */
  meta: ArrayLike<number>;
  /** Workgroups to dispatch in x, y, z. */
  workgroups: readonly [number, number, number];
  /** An error slot to bind last, from {@link WebGpuBackend.errorSlot}. */
  errorSlot?: ErrorSlot;
}
