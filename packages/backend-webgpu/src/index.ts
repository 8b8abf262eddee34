/**
 * @backstep/backend-webgpu — WGSL compute kernels registered into an Engine by an explicit
 * `registerWebGpuBackend(engine, await createWebGpuBackend())` call. Imports only `@backstep/tensor`;
 * the Node entry that loads Dawn is `@backstep/backend-webgpu/node`.
 */
export { WebGpuBackend, WebGpuData, type Program } from './webgpu-backend.js';
export type { WebGpuBackendOptions, WebGpuStats } from './webgpu-backend-options.js';
export { createWebGpuBackend, type CreateWebGpuBackendOptions } from './create.js';
export { registerWebGpuBackend, registerWebGpuFusedKernels, WEBGPU_FUSED_KERNELS, WEBGPU_KERNELS, type RegisterWebGpuOptions } from './register.js';
export { BufferPool, sizeClass, type PoolStats } from './buffer-pool.js';
export { PipelineCache, type PipelineCacheStats } from './pipeline-cache.js';
export { DeferredCheck, ErrorTracker, type ErrorSlot, type DescribeFailure } from './deferred-checks.js';
export { WEBGPU_DTYPES } from './host-data.js';
export { WEBGPU } from './kernels/define.js';
