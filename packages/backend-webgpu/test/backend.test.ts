/**
 * WebGPU backend specifics: registration, dtype limits, async-only reads, deferred index errors,
 * out-of-memory errors, moving tensors between backends, batching, pooling and pipeline caching.
 */
import { registerCpuBackend } from '@backstep/backend-cpu';
import { DTypeError, Engine, KernelNotFoundError, tensor, zeros } from '@backstep/tensor';
import { beforeAll, expect, it } from 'vitest';
import { registerWebGpuBackend, registerWebGpuFusedKernels, WEBGPU_FUSED_KERNELS, WEBGPU_KERNELS, type WebGpuBackend } from '../src/index.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
let engine: Engine;
let backend: WebGpuBackend;

beforeAll(() => {
  if (gpu.backend === null) return;
  backend = gpu.backend;
  engine = new Engine();
  registerCpuBackend(engine);
  registerWebGpuBackend(engine, backend);
});

const f32 = (values: number[], shape = [values.length]) => tensor(values, { shape, dtype: 'float32', backend: 'webgpu', engine });

describeGpu(gpu)('webgpu backend', () => {
  it('registers explicitly, keeps the first backend current, and is idempotent', () => {
    expect(engine.backendName).toBe('cpu');
    // the primitive set plus the optional fused kernels (registered by default)
    expect(engine.registry.kernelsFor('webgpu').sort()).toEqual([...WEBGPU_KERNELS, ...WEBGPU_FUSED_KERNELS].map((k) => k.kernelName).sort());
    expect(registerWebGpuBackend(engine, backend)).toBe(backend);
    const plain = new Engine();
    registerWebGpuBackend(plain, backend, { fused: false });
    expect(plain.registry.kernelsFor('webgpu').sort()).toEqual(WEBGPU_KERNELS.map((k) => k.kernelName).sort());
    registerWebGpuFusedKernels(plain);
    expect(WEBGPU_FUSED_KERNELS.map((k) => plain.hasKernel(k.kernelName, 'webgpu'))).toEqual([true, true, true]);
    const other = new Engine();
    expect(other.hasBackend('webgpu')).toBe(false);
  });

  it('names the kernel and backend when a kernel is missing', () => {
    expect(() => engine.runKernel('noSuchKernel', [], {}, 'webgpu')).toThrow(KernelNotFoundError);
    expect(() => engine.runKernel('noSuchKernel', [], {}, 'webgpu')).toThrow("Kernel 'noSuchKernel' not registered for backend 'webgpu'");
  });

  it('rejects float64 with a DTypeError naming the dtype and the backend', () => {
    expect(() => tensor([1, 2], { dtype: 'float64', backend: 'webgpu', engine })).toThrow(DTypeError);
    expect(() => tensor([1, 2], { dtype: 'float64', backend: 'webgpu', engine })).toThrow(/float64.*webgpu/);
    const x = f32([1, 2]);
    expect(() => x.to('float64')).toThrow(/float64 is not supported on the webgpu backend/);
    x.dispose();
  });

  it('reads asynchronously only: dataSync/item throw a clear error, data()/toArray() work', async () => {
    const x = f32([1, 2, 3, 4], [2, 2]);
    expect(backend.supportsSyncRead).toBe(false);
    expect(() => x.dataSync()).toThrow(/cannot read synchronously; use await tensor.data\(\)/);
    expect(() => backend.readSync(x.dataId)).toThrow(/supportsSyncRead is false/);
    expect(Array.from(await x.data())).toEqual([1, 2, 3, 4]);
    expect(await x.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(await x.sum().itemAsync()).toBe(10);
    x.dispose();
  });

  it('moves tensors between backends: to("webgpu"), toAsync("cpu"), creation { backend }', async () => {
    const c = tensor([1, -2, 3], { engine, backend: 'cpu' });
    const g = c.to('webgpu');
    expect(g.backendName).toBe('webgpu');
    expect(() => g.to('cpu')).toThrow(/toAsync/);
    const back = await g.exp().toAsync('cpu');
    expect(back.backendName).toBe('cpu');
    const want = Array.from(c.exp().dataSync());
    Array.from(back.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 5));
    expect(() => c.add(g)).toThrow(/same backend/);
    engine.setBackend('webgpu');
    try {
      const z = zeros([2, 3], { engine });
      expect(z.backendName).toBe('webgpu');
      expect(Array.from(await z.data())).toEqual([0, 0, 0, 0, 0, 0]);
    } finally {
      engine.setBackend('cpu');
    }
  });

  it('reports an out-of-range index as a RangeError when the result (or anything from it) is read', async () => {
    const x = f32([1, 2, 3, 4, 5, 6], [3, 2]);
    const bad = tensor([0, 7], { dtype: 'int32', backend: 'webgpu', engine });
    const picked = engine.run('indexSelect', [x, bad], { axis: 0 });
    const downstream = picked.mul(2).sum();
    await expect(picked.data()).rejects.toThrow(RangeError);
    await expect(downstream.data()).rejects.toThrow('indexSelect: index 7 is out of bounds for dimension 0 with size 3');
    // the error is not attributed to unrelated results
    const good = engine.run('indexSelect', [x, tensor([2, 0], { dtype: 'int32', backend: 'webgpu', engine })], { axis: 0 });
    expect(Array.from(await good.data())).toEqual([5, 6, 1, 2]);
  });

  it('reports integer division by zero at read time', async () => {
    const a = tensor([7, 8], { dtype: 'int32', backend: 'webgpu', engine });
    const b = tensor([2, 0], { dtype: 'int32', backend: 'webgpu', engine });
    await expect(engine.run('div', [a, b], {}).data()).rejects.toThrow(/integer division by zero/);
  });

  it('throws a catchable out-of-memory error for an absurd allocation', () => {
    expect(() => zeros([100000, 100000], { engine, backend: 'webgpu' })).toThrow(RangeError);
    expect(() => zeros([100000, 100000], { engine, backend: 'webgpu' })).toThrow(/out of memory: cannot allocate 40000000000 bytes/);
    // the backend is still usable
    expect(backend.memory().numBuffers).toBeGreaterThanOrEqual(0);
  });

  it('batches dispatches, reuses pooled buffers and caches pipelines', async () => {
    const run = async (start: number): Promise<void> => {
      let x = f32([start, 2, 3, 4]);
      for (let i = 0; i < 100; i++) {
        const next = engine.tidy(() => x.add(x.sub(x)).add(1));
        x.dispose();
        x = next;
      }
      expect(Array.from(await x.data())).toEqual([start + 100, 102, 103, 104]);
      x.dispose();
    };
    await run(1); // warm: compiles pipelines, fills the pool
    const before = backend.stats();
    await run(5);
    const after = backend.stats();
    expect(after.dispatches - before.dispatches).toBe(300);
    expect(after.submits - before.submits).toBeLessThanOrEqual(6); // flushEvery 64, plus the read
    expect(after.pipelines.misses - before.pipelines.misses).toBe(0);
    expect(after.pool.created - before.pool.created).toBe(0);
  });

  it('disposes and tidies back to the same memory', async () => {
    const m0 = backend.memory();
    const kept = engine.tidy(() => {
      const a = f32([1, 2, 3]);
      return a.mul(a).add(1);
    });
    expect(backend.memory().numBuffers).toBe(m0.numBuffers + 1);
    expect(Array.from(await kept.data())).toEqual([2, 5, 10]);
    kept.dispose();
    expect(backend.memory()).toEqual(m0);
  });
});
