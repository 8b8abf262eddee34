/**
 * The Node entry of `@backstep/backend-webgpu`: finds a WebGPU implementation through the npm
 * package `webgpu` (Dawn), imported lazily so the main entry never depends on it.
 *
 * ```ts
 * import { createNodeWebGpuBackend } from '@backstep/backend-webgpu/node';
 * import { registerWebGpuBackend } from '@backstep/backend-webgpu';
 * const backend = await createNodeWebGpuBackend();
 * registerWebGpuBackend(engine, backend);
 * ```
 */
import { existsSync } from 'node:fs';
import { createWebGpuBackend, type CreateWebGpuBackendOptions } from './create.js';
import type { WebGpuBackend } from './webgpu-backend.js';

/** Where Debian's chromium package puts SwiftShader's Vulkan ICD file. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Imports Dawn from the `webgpu` package and returns its `GPU` entry point (installing its globals
 * such as `GPUBufferUsage` where missing). When `VK_ICD_FILENAMES` is unset and SwiftShader's ICD
 * exists at {@link SWIFTSHADER_ICD}, it is set first, so a GPU-less machine gets a software adapter.
 * `dawnFlags` are passed to Dawn's `create()`.
 */
export async function createNodeGpu(dawnFlags: string[] = []): Promise<GPU> {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  let mod: { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (e) {
    throw new Error(`webgpu backend: cannot load Dawn for Node: install the npm package 'webgpu' (${(e as Error).message})`);
  }
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(mod.globals)) if (!(k in g)) g[k] = v;
  return mod.create(dawnFlags);
}

/** The adapter Dawn offers in this process, or null (no driver, or the driver was rejected). */
export async function findNodeAdapter(options: { powerPreference?: GPUPowerPreference } = {}): Promise<GPUAdapter | null> {
  const gpu = await createNodeGpu();
  return gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {});
}

/** {@link createWebGpuBackend} on Dawn: `createWebGpuBackend({ gpu: await createNodeGpu(), ...options })`. */
export async function createNodeWebGpuBackend(options: CreateWebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const gpu = options.gpu ?? (options.adapter || options.device ? undefined : await createNodeGpu());
  return createWebGpuBackend({ ...options, ...(gpu ? { gpu } : {}) });
}
