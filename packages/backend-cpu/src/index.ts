/**
 * @backstep/backend-cpu — CPU kernels on host typed arrays, registered into an Engine by an explicit
 * `registerCpuBackend()` call. Imports only `@backstep/tensor`.
 */
export { CpuBackend, CpuData } from './cpu-backend.js';
export type { HeapStats } from './wasm/heap.js';
export { CPU_FUSED_KERNELS, CPU_KERNELS, registerCpuBackend, registerCpuFusedKernels, type RegisterCpuOptions } from './register.js';
export { erf, erfc } from './kernels/erf.js';
