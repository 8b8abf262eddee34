/** `--backend cpu|webgpu`: registers the chosen backend (and autograd) into the default engine. */
import { registerAutograd } from '@backstep/autograd';
import { getEngine } from '@backstep/tensor';
import { setupCpu } from '../shared/setup.js';

/** The backends the MNIST example accepts. */
export type BackendName = 'cpu' | 'webgpu';

/**
 * Makes `name` the default engine's current backend. `webgpu` loads `@backstep/backend-webgpu`
 * lazily (in Node through Dawn, the npm package `webgpu`; on a machine without a GPU, a software
 * Vulkan driver such as SwiftShader); when no WebGPU adapter can be found, its error says so.
 */
export async function useBackend(name: BackendName): Promise<void> {
  if (name === 'cpu') {
    setupCpu();
    return;
  }
  if (name !== 'webgpu') throw new Error(`--backend must be 'cpu' or 'webgpu', got '${String(name)}'`);
  try {
    const [{ registerWebGpuBackend }, { createNodeWebGpuBackend }] = await Promise.all([
      import('@backstep/backend-webgpu'),
      import('@backstep/backend-webgpu/node'),
    ]);
    registerWebGpuBackend(getEngine(), await createNodeWebGpuBackend(), { setCurrent: true });
  } catch (e) {
    throw new Error(`--backend webgpu: ${(e as Error).message} (use --backend cpu)`);
  }
  registerAutograd();
}
