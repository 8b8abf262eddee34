import type { PoolStats } from './buffer-pool.js';
import type { PipelineCacheStats } from './pipeline-cache.js';

/** Options of {@link WebGpuBackend}. */
export interface WebGpuBackendOptions {
  /** Submit the batched command buffer after this many dispatches (it is also submitted on every read). Default 64. */
  flushEvery?: number;
  /** Bytes of released buffers the pool keeps for reuse. Default 512 MiB. */
  maxPoolBytes?: number;
  /**
   * Objects the device depends on (its adapter and GPU entry point). They are kept referenced for
   * the backend's lifetime: Dawn in Node destroys its instance when the `GPU` object is collected.
   */
  owners?: readonly unknown[];
  /** The adapter's description (default: `device.adapterInfo` where the implementation has it). */
  adapterInfo?: GPUAdapterInfo;
}

/** Counters of a backend's activity (for tests and benchmarks). */
export interface WebGpuStats {
  /** Compute dispatches recorded. */
  dispatches: number;
  /** Command buffers submitted. */
  submits: number;
  /** Buffers read back. */
  reads: number;
  /** Buffers uploaded from the host. */
  writes: number;
  /** Buffer pool counts. */
  pool: PoolStats;
  /** Pipeline cache counts. */
  pipelines: PipelineCacheStats;
}
