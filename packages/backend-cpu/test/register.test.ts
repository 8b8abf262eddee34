import { Engine, getEngine, KERNEL_NAMES } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { CPU_FUSED_KERNELS, CPU_KERNELS, CpuBackend, registerCpuBackend } from '../src/index.js';

describe('registerCpuBackend', () => {
  it('importing the package registers nothing', () => {
    expect(getEngine().hasBackend('cpu')).toBe(false);
  });

  it('registers the backend and every primitive kernel, making cpu current', () => {
    const engine = new Engine();
    const backend = registerCpuBackend(engine);
    expect(backend).toBeInstanceOf(CpuBackend);
    expect(engine.backendName).toBe('cpu');
    for (const k of KERNEL_NAMES) expect(engine.hasKernel(k, 'cpu'), k).toBe(true);
  });

  it('CPU_KERNELS is exactly the primitive set, each once', () => {
    const names = CPU_KERNELS.map((k) => k.kernelName);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...KERNEL_NAMES].sort());
    expect(CPU_KERNELS.every((k) => k.backendName === 'cpu')).toBe(true);
  });

  it('calling it twice on one engine is a harmless no-op', () => {
    const engine = new Engine();
    const a = registerCpuBackend(engine);
    const b = registerCpuBackend(engine);
    expect(b).toBe(a);
    expect(engine.backendNames()).toEqual(['cpu']);
    expect(engine.registry.kernelsFor('cpu').length).toBe(KERNEL_NAMES.length + CPU_FUSED_KERNELS.length);
    const t = engine.makeTensor(new Float32Array([1, 2]), [2], 'float32');
    expect(Array.from(engine.run('neg', [t], {}).dataSync())).toEqual([-1, -2]);
  });

  it('registers into the default engine when no engine is given', () => {
    const prev = getEngine();
    const backend = registerCpuBackend();
    expect(getEngine()).toBe(prev);
    expect(getEngine().getBackend('cpu')).toBe(backend);
    expect(registerCpuBackend()).toBe(backend);
  });

  it('engines are independent', () => {
    const e1 = new Engine();
    const e2 = new Engine();
    expect(registerCpuBackend(e1)).not.toBe(registerCpuBackend(e2));
  });

  it('a different backend named cpu is rejected clearly', () => {
    const engine = new Engine();
    const impostor = { ...new CpuBackend(), name: 'cpu' } as unknown as CpuBackend;
    engine.registerBackend(impostor);
    expect(() => registerCpuBackend(engine)).toThrow(/different backend named 'cpu'/);
  });

  it('setCurrent makes cpu current when another backend came first', () => {
    const engine = new Engine();
    const other = new CpuBackend();
    Object.defineProperty(other, 'name', { value: 'other' });
    engine.registerBackend(other);
    registerCpuBackend(engine);
    expect(engine.backendName).toBe('other');
    registerCpuBackend(engine, { setCurrent: true });
    expect(engine.backendName).toBe('cpu');
  });
});
