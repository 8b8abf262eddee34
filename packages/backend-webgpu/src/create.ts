import type { WebGpuBackendOptions } from './webgpu-backend-options.js';
import { WebGpuBackend } from './webgpu-backend.js';

/** Options of {@link createWebGpuBackend}. */
export interface CreateWebGpuBackendOptions extends WebGpuBackendOptions {
  /** The WebGPU entry point (default `navigator.gpu`; in Node, Dawn's `create([])` from the `webgpu` package). */
  gpu?: GPU;
  /** An adapter to request the device from (default: `gpu.requestAdapter({ powerPreference })`). */
  adapter?: GPUAdapter;
  /** A device to use as is (the caller keeps ownership of its adapter). */
  device?: GPUDevice;
  /** Passed to `requestAdapter` when no adapter or device is given. */
  powerPreference?: GPUPowerPreference;
}

/** The limits the backend raises to the adapter's maxima when it requests the device itself. */
const RAISED_LIMITS = ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxStorageBuffersPerShaderStage'] as const;

/** `navigator.gpu` where the environment has one. */
function navigatorGpu(): GPU | undefined {
  return (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
}

/**
 * Creates a {@link WebGpuBackend}: uses `device` when given, else requests one from `adapter`, else
 * from `gpu.requestAdapter()` (`gpu` defaults to `navigator.gpu`). Throws a clear error when WebGPU
 * or an adapter is unavailable (in Node, use `createNodeWebGpuBackend` from
 * `@backstep/backend-webgpu/node`). Register it with `registerWebGpuBackend(engine, backend)`.
 */
export async function createWebGpuBackend(options: CreateWebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  if (options.device) return new WebGpuBackend(options.device, { ...options, owners: [options.adapter, options.gpu, ...(options.owners ?? [])] });
  let adapter = options.adapter ?? null;
  const gpu = options.gpu ?? navigatorGpu();
  if (adapter === null) {
    if (gpu === undefined) {
      throw new Error(
        'webgpu backend: WebGPU is not available here (no navigator.gpu). In Node, use createNodeWebGpuBackend() ' +
          "from '@backstep/backend-webgpu/node' (npm package 'webgpu'); in a browser, one with WebGPU enabled.",
      );
    }
    adapter = await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {});
    if (adapter === null) {
      throw new Error(
        'webgpu backend: no WebGPU adapter found (requestAdapter() returned null). On a machine without a GPU, ' +
          'point Vulkan at a software driver, e.g. VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (see the README).',
      );
    }
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const v = adapter.limits[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  const device = await adapter.requestDevice({ requiredLimits, label: 'backstep' });
  return new WebGpuBackend(device, { adapterInfo: adapter.info, ...options, owners: [adapter, gpu, ...(options.owners ?? [])] });
}
