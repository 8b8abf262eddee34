/**
 * The default engine for the WebGPU golden tests: webgpu current, the CPU backend beside it (only
 * for host-side values such as boolean masks, whose selected count decides a shape), and autograd.
 */
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Engine, setEngine } from '@backstep/tensor';
import { registerWebGpuBackend } from '../src/index.js';
import type { TestGpu } from './setup.js';

/** Installs a fresh default engine with webgpu as its current backend (no-op without an adapter). */
export function useWebGpuDefaultEngine(gpu: TestGpu): Engine {
  const engine = new Engine();
  setEngine(engine);
  registerCpuBackend(engine);
  if (gpu.backend !== null) registerWebGpuBackend(engine, gpu.backend, { setCurrent: true });
  registerAutograd(engine);
  return engine;
}
