import { getEngine, type Engine, type KernelConfig } from '@backstep/tensor';
import { ARG_REDUCE_WEBGPU_KERNELS } from './kernels/arg-reduce.js';
import { axpyKernel } from './kernels/axpy.js';
import { BINARY_WEBGPU_KERNELS } from './kernels/binary.js';
import { castKernel } from './kernels/cast.js';
import { clampKernel } from './kernels/clamp.js';
import { COMPARE_WEBGPU_KERNELS } from './kernels/compare.js';
import { col2imKernel, im2colKernel } from './kernels/conv.js';
import { copyKernel, reshapeKernel } from './kernels/copy.js';
import { WEBGPU } from './kernels/define.js';
import { fillKernel } from './kernels/fill.js';
import { adamStepKernel, sgdStepKernel } from './kernels/fused-optim.js';
import { gatherKernel, indexSelectKernel } from './kernels/gather.js';
import { concatKernel, expandKernel, sliceKernel, sliceScatterKernel, transposeKernel } from './kernels/layout.js';
import { matmulKernel } from './kernels/matmul.js';
import { REDUCE_WEBGPU_KERNELS } from './kernels/reduce.js';
import { indexAddKernel, scatterAddKernel, scatterKernel } from './kernels/scatter.js';
import { logSoftmaxKernel, softmaxKernel } from './kernels/softmax.js';
import { UNARY_WEBGPU_KERNELS } from './kernels/unary.js';
import { whereKernel } from './kernels/where.js';
import { WebGpuBackend } from './webgpu-backend.js';

/** Every kernel of the WebGPU backend: the whole primitive set (`KERNEL_NAMES`). */
export const WEBGPU_KERNELS: readonly KernelConfig[] = [
  ...UNARY_WEBGPU_KERNELS,
  ...BINARY_WEBGPU_KERNELS,
  ...COMPARE_WEBGPU_KERNELS,
  whereKernel,
  clampKernel,
  castKernel,
  copyKernel,
  fillKernel,
  reshapeKernel,
  ...REDUCE_WEBGPU_KERNELS,
  ...ARG_REDUCE_WEBGPU_KERNELS,
  matmulKernel,
  transposeKernel,
  expandKernel,
  sliceKernel,
  sliceScatterKernel,
  concatKernel,
  gatherKernel,
  scatterKernel,
  scatterAddKernel,
  indexSelectKernel,
  indexAddKernel,
  softmaxKernel,
  logSoftmaxKernel,
  im2colKernel,
  col2imKernel,
];

/** Options of {@link registerWebGpuBackend}. */
export interface RegisterWebGpuOptions {
  /** Make 'webgpu' the engine's current backend (default false: the first backend registered stays current). */
  setCurrent?: boolean;
  /**
   * Also register the optional fused kernels ({@link WEBGPU_FUSED_KERNELS}: `'sgdStep'`,
   * `'adamStep'`, `'axpy'`); default true (pass false to make `@backstep/optim` use its composed paths).
   */
  fused?: boolean;
}

/**
 * Optional fused kernels of the WebGPU backend (not part of the primitive set), used by
 * `@backstep/optim` when registered: the in-place multi-tensor optimizer steps `'sgdStep'` and
 * `'adamStep'` (same protocol as the CPU backend's), and `'axpy'` (`x + alpha·u` rounded once,
 * for LBFGS in float32 without float64).
 */
export const WEBGPU_FUSED_KERNELS: readonly KernelConfig[] = [sgdStepKernel, adamStepKernel, axpyKernel];

/** Registers the optional fused kernels ({@link WEBGPU_FUSED_KERNELS}) into `engine` (missing ones only). */
export function registerWebGpuFusedKernels(engine: Engine = getEngine()): void {
  for (const kernel of WEBGPU_FUSED_KERNELS) {
    if (!engine.hasKernel(kernel.kernelName, WEBGPU)) engine.registerKernel(kernel);
  }
}

/**
 * Registers a WebGPU backend (from `createWebGpuBackend` or `createNodeWebGpuBackend`), every
 * WebGPU kernel and (unless `{ fused: false }`) the fused optimizer kernels into `engine` (the
 * default engine when omitted), and returns the backend. Explicit:
 * importing this package registers nothing. Registering the same backend again is a no-op; a
 * different backend under the name 'webgpu' is an error.
 */
export function registerWebGpuBackend(engine: Engine = getEngine(), backend: WebGpuBackend, options: RegisterWebGpuOptions = {}): WebGpuBackend {
  if (!(backend instanceof WebGpuBackend)) throw new TypeError('registerWebGpuBackend: expected a WebGpuBackend (from createWebGpuBackend())');
  if (engine.hasBackend(WEBGPU)) {
    if (engine.getBackend(WEBGPU) !== backend) throw new Error(`registerWebGpuBackend: the engine already has a different backend named '${WEBGPU}'`);
    if (options.setCurrent) engine.setBackend(WEBGPU);
  } else {
    engine.registerBackend(backend, { setCurrent: options.setCurrent ?? false });
  }
  for (const kernel of WEBGPU_KERNELS) {
    if (!engine.hasKernel(kernel.kernelName, WEBGPU)) engine.registerKernel(kernel);
  }
  if (options.fused ?? true) registerWebGpuFusedKernels(engine);
  return backend;
}
