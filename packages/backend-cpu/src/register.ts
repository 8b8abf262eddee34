import { getEngine, type Engine, type KernelConfig } from '@backstep/tensor';
import { CpuBackend } from './cpu-backend.js';
import { ARG_REDUCE_CPU_KERNELS } from './kernels/arg-reduce.js';
import { BINARY_CPU_KERNELS } from './kernels/binary.js';
import { castKernel } from './kernels/cast.js';
import { clampKernel } from './kernels/clamp.js';
import { col2imKernel } from './kernels/col2im.js';
import { COMPARE_CPU_KERNELS } from './kernels/compare.js';
import { concatKernel } from './kernels/concat.js';
import { copyKernel } from './kernels/copy.js';
import { CPU } from './kernels/define.js';
import { expandKernel } from './kernels/expand.js';
import { adamStepKernel } from './kernels/fused-adam.js';
import { sgdStepKernel } from './kernels/fused-sgd.js';
import { fillKernel } from './kernels/fill.js';
import { gatherKernel } from './kernels/gather.js';
import { im2colKernel } from './kernels/im2col.js';
import { indexAddKernel } from './kernels/index-add.js';
import { indexSelectKernel } from './kernels/index-select.js';
import { matmulKernel } from './kernels/matmul.js';
import { REDUCE_CPU_KERNELS } from './kernels/reduce.js';
import { reshapeKernel } from './kernels/reshape.js';
import { scatterAddKernel, scatterKernel } from './kernels/scatter.js';
import { sliceScatterKernel } from './kernels/slice-scatter.js';
import { sliceKernel } from './kernels/slice.js';
import { logSoftmaxKernel, softmaxKernel } from './kernels/softmax.js';
import { transposeKernel } from './kernels/transpose.js';
import { UNARY_CPU_KERNELS } from './kernels/unary.js';
import { whereKernel } from './kernels/where.js';

/** Every kernel of the CPU backend: the whole primitive set (`KERNEL_NAMES`). */
export const CPU_KERNELS: readonly KernelConfig[] = [
  ...UNARY_CPU_KERNELS,
  ...BINARY_CPU_KERNELS,
  ...COMPARE_CPU_KERNELS,
  whereKernel,
  clampKernel,
  castKernel,
  copyKernel,
  fillKernel,
  reshapeKernel,
  ...REDUCE_CPU_KERNELS,
  ...ARG_REDUCE_CPU_KERNELS,
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

/**
 * Optional fused kernels of the CPU backend (not part of the primitive set): in-place
 * multi-tensor optimizer steps `'sgdStep'` and `'adamStep'` that `@backstep/optim` uses when they
 * are registered (it falls back to composed ops otherwise). Their protocol is documented on each
 * kernel and in `@backstep/optim`'s README.
 */
export const CPU_FUSED_KERNELS: readonly KernelConfig[] = [sgdStepKernel, adamStepKernel];

/** Options of {@link registerCpuBackend}. */
export interface RegisterCpuOptions {
  /** Make 'cpu' the engine's current backend even when another one was registered first. */
  setCurrent?: boolean;
  /** Also register the optional fused kernels ({@link CPU_FUSED_KERNELS}); default true (pass false to force the composed paths). */
  fused?: boolean;
  /**
   * Threads for the WebAssembly kernels (see {@link CpuBackend.setThreads}); default: the machine's
   * logical cores. The setting is per process.
   */
  threads?: number;
}

/** Registers the optional fused kernels ({@link CPU_FUSED_KERNELS}) into `engine` (missing ones only). */
export function registerCpuFusedKernels(engine: Engine = getEngine()): void {
  for (const kernel of CPU_FUSED_KERNELS) {
    if (!engine.hasKernel(kernel.kernelName, CPU)) engine.registerKernel(kernel);
  }
}

/**
 * Registers the CPU backend and all its kernels into `engine` (the default engine by default) and
 * returns the backend. Explicit: importing this package registers nothing. Calling it again on the
 * same engine is a no-op (kernels that are missing are added; nothing is registered twice).
 */
export function registerCpuBackend(engine: Engine = getEngine(), options: RegisterCpuOptions = {}): CpuBackend {
  let backend: CpuBackend;
  if (engine.hasBackend(CPU)) {
    const existing = engine.getBackend(CPU);
    if (!(existing instanceof CpuBackend)) {
      throw new Error(`registerCpuBackend: the engine already has a different backend named '${CPU}'`);
    }
    backend = existing;
    if (options.setCurrent) engine.setBackend(CPU);
  } else {
    backend = new CpuBackend();
    engine.registerBackend(backend, { setCurrent: options.setCurrent ?? false });
  }
  for (const kernel of CPU_KERNELS) {
    if (!engine.hasKernel(kernel.kernelName, CPU)) engine.registerKernel(kernel);
  }
  if (options.fused ?? true) registerCpuFusedKernels(engine);
  if (options.threads !== undefined) backend.setThreads(options.threads);
  return backend;
}
