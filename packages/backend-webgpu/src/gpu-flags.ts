/**
 * WebGPU flag values from the specification, as plain numbers so the backend does not depend on
 * the `GPUBufferUsage` / `GPUMapMode` globals (Dawn in Node only installs them on request).
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/** `GPUMapMode` values. */
export const MapMode = {
  READ: 0x0001,
  WRITE: 0x0002,
} as const;

/** Usage of tensor buffers: bound as storage, copied from (readback, copy kernel) and to (upload). */
export const TENSOR_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
/** Usage of the small per-dispatch parameter buffers. */
export const META_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST;
/** Usage of readback staging buffers. */
export const STAGING_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;
