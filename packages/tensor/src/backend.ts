import type { DType, DataArray } from './dtype.js';
import type { Shape } from './shape.js';

/**
 * An opaque handle to a buffer owned by a backend. The Engine reference-counts data ids:
 * several tensors (e.g. a tensor and its reshape) may share one, and the backend's
 * `disposeData` is called once the last tensor using it is disposed.
 */
export type DataId = object;

/** What a kernel receives and returns: a buffer plus its shape and dtype. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Memory held by one backend. */
export interface BackendMemory {
  /** Number of live buffers. */
  numBuffers: number;
  /** Bytes held by live buffers. */
  numBytes: number;
}

/**
 * The backend contract (DESIGN.md contract 1). A backend owns buffers; kernels are registered
 * separately into an Engine's {@link KernelRegistry} under the backend's name.
 */
export interface Backend {
  /** The name kernels are registered under, e.g. `'cpu'` or `'webgpu'`. */
  readonly name: string;
  /** Whether {@link Backend.readSync} works on this backend. */
  readonly supportsSyncRead: boolean;
  /** Creates a buffer holding a copy of `values` (already of `dtype`'s array type). */
  write(values: DataArray, dtype: DType, shape: Shape): DataId;
  /** Reads a buffer back to the host. */
  read(dataId: DataId): Promise<DataArray>;
  /** Reads a buffer back synchronously; throws on backends that cannot. */
  readSync(dataId: DataId): DataArray;
  /** Releases a buffer. Called by the Engine when its reference count reaches zero. */
  disposeData(dataId: DataId): void;
  /** Memory currently held. */
  memory(): BackendMemory;
  /** Releases everything (device, pools). */
  dispose?(): void;
}
