/**
 * Shared WebGPU test setup: one device per test process (Dawn through the `webgpu` package, on
 * SwiftShader where no GPU exists). Without an adapter the WebGPU suites skip with a message saying
 * why — except in CI (`CI=true`), where they fail, so CI cannot silently skip them.
 */
import { describe, it } from 'vitest';
import type { WebGpuBackend } from '../src/index.js';
import { createNodeWebGpuBackend, SWIFTSHADER_ICD } from '../src/node.js';

/** The process-wide test backend, or why there is none. */
export interface TestGpu {
  backend: WebGpuBackend | null;
  reason: string;
}

async function init(): Promise<TestGpu> {
  try {
    const backend = await createNodeWebGpuBackend();
    return { backend, reason: '' };
  } catch (e) {
    return {
      backend: null,
      reason:
        `no WebGPU adapter: ${(e as Error).message.replace(/\.$/, '')}. Install Debian's chromium (SwiftShader at ${SWIFTSHADER_ICD}) ` +
        'and libvulkan1, or run on a machine with a GPU; .ci/run does this in CI.',
    };
  }
}

let pending: Promise<TestGpu> | null = null;

/** The shared backend of this test process (created once). */
export function testGpu(): Promise<TestGpu> {
  pending ??= init();
  return pending;
}

/** Whether missing WebGPU must fail instead of skip. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` for WebGPU suites: runs `fn` when an adapter exists; otherwise skips with a console
 * message, or (in CI) registers one failing test naming the reason.
 */
export function describeGpu(gpu: TestGpu): (name: string, fn: () => void) => void {
  if (gpu.backend !== null) return describe;
  if (IN_CI) {
    return (name: string) => describe(name, () => it('needs a WebGPU adapter (required in CI)', () => {
      throw new Error(gpu.reason);
    }));
  }
  return (name: string, fn: () => void) => {
    console.warn(`[backend-webgpu] skipping '${name}': ${gpu.reason}`);
    describe.skip(name, fn);
  };
}
