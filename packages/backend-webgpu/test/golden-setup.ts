/**
 * The default engine for the WebGPU golden tests: webgpu current, the CPU backend beside it (only
 * for host-side values such as boolean masks, whose selected count decides a shape), and autograd.
 */
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Engine, setEngine } from '@backstep/tensor';
import { registerWebGpuBackend } from '../src/index.js';
import type { TestGpu } from './setup.js';

/** Options of {@link webGpuEngine}. */
export interface WebGpuEngineOptions {
  /** Register the fused optimizer kernels (`sgdStep`, `adamStep`) for webgpu; default true. */
  fused?: boolean;
}

/** A fresh engine with webgpu as its current backend, the CPU backend beside it, and autograd. */
export function webGpuEngine(gpu: TestGpu, options: WebGpuEngineOptions = {}): Engine {
  const engine = new Engine();
  registerCpuBackend(engine);
  if (gpu.backend !== null) registerWebGpuBackend(engine, gpu.backend, { setCurrent: true, fused: options.fused ?? true });
  registerAutograd(engine);
  return engine;
}

/** Installs a fresh default engine with webgpu as its current backend (no-op without an adapter). */
export function useWebGpuDefaultEngine(gpu: TestGpu, options: WebGpuEngineOptions = {}): Engine {
  const engine = webGpuEngine(gpu, options);
  setEngine(engine);
  return engine;
}
