/**
 * Creating backends (Node entry, missing WebGPU, missing adapter) and device loss: a lost device
 * turns pending and later reads into errors the caller can catch, never a hang.
 */
import { Engine, tensor } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { createWebGpuBackend, registerWebGpuBackend } from '../src/index.js';
import { createNodeWebGpuBackend, findNodeAdapter } from '../src/node.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();

it('createWebGpuBackend() without navigator.gpu says how to get WebGPU in Node', async () => {
  await expect(createWebGpuBackend()).rejects.toThrow(/no navigator\.gpu.*backend-webgpu\/node/);
});

it('a GPU without adapters gives a clear error', async () => {
  const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
  await expect(createWebGpuBackend({ gpu: noAdapter })).rejects.toThrow(/no WebGPU adapter found/);
});

describeGpu(gpu)('webgpu device', () => {
  it('the Node entry finds an adapter through Dawn', async () => {
    const adapter = await findNodeAdapter();
    expect(adapter).not.toBeNull();
    expect(typeof adapter!.info.vendor).toBe('string');
  });

  it('device loss rejects reads and fails later kernels with an error naming the loss', async () => {
    const backend = await createNodeWebGpuBackend();
    const engine = new Engine();
    registerWebGpuBackend(engine, backend, { setCurrent: true });
    const x = tensor([1, 2, 3], { engine });
    const y = x.exp();
    expect((await y.data()).length).toBe(3);
    const pending = y.mul(2).data();
    backend.device.destroy();
    await expect(pending).rejects.toThrow(/lost|destroyed|failed/);
    await expect(y.data()).rejects.toThrow(/lost|destroyed|failed/);
    await backend.device.lost;
    await new Promise((r) => setTimeout(r, 0));
    expect(() => x.exp()).toThrow(/the GPU device was lost/);
    expect(() => tensor([1], { engine })).toThrow(/the GPU device was lost/);
  });
});
