/**
 * The optional fused kernels of the WebGPU backend: `sgdStep` and `adamStep` (multi-tensor, in
 * place after `ensureExclusive()`, the CPU backend's protocol and float32 arithmetic), `axpy`
 * (`x + alpha·u` rounded once, for LBFGS), and the compensated float32 sums they rely on.
 */
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Adam, AdamW, SGD, type Optimizer } from '@backstep/optim';
import { DTypeError, Engine, sum, tensor, type KernelConfig, type Tensor } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { registerWebGpuBackend, WEBGPU_FUSED_KERNELS } from '../src/index.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();

/** A webgpu engine (fused kernels wrapped to count their calls) with the CPU backend beside it. */
function spyEngine(): { engine: Engine; calls: Record<string, number> } {
  const engine = new Engine();
  registerCpuBackend(engine, { fused: true });
  if (gpu.backend !== null) registerWebGpuBackend(engine, gpu.backend, { fused: false });
  const calls: Record<string, number> = {};
  for (const k of WEBGPU_FUSED_KERNELS) {
    const spy: KernelConfig = {
      kernelName: k.kernelName,
      backendName: 'webgpu',
      kernelFunc: (args) => {
        calls[k.kernelName] = (calls[k.kernelName] ?? 0) + 1;
        return k.kernelFunc(args);
      },
    };
    engine.registerKernel(spy);
  }
  return { engine, calls };
}

/** Deterministic pseudo-random values spanning several orders of magnitude. */
function values(n: number, seed: number, scale = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    return Math.fround((u - 0.5) * scale * 2 ** Math.floor(u * 8 - 4));
  });
}

type Make = (ps: Tensor[]) => Optimizer<object>;
const CASES: Array<[string, string, Make]> = [
  ['SGD', 'sgdStep', (ps) => new SGD(ps, { lr: 0.1 }) as unknown as Optimizer<object>],
  ['SGD momentum + dampening + weight decay', 'sgdStep', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }) as unknown as Optimizer<object>],
  ['SGD nesterov + maximize', 'sgdStep', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.8, nesterov: true, maximize: true }) as unknown as Optimizer<object>],
  ['Adam', 'adamStep', (ps) => new Adam(ps, { lr: 0.01 }) as unknown as Optimizer<object>],
  ['Adam amsgrad + weight decay + maximize', 'adamStep', (ps) => new Adam(ps, { lr: 0.01, amsgrad: true, weightDecay: 0.1, maximize: true }) as unknown as Optimizer<object>],
  ['AdamW', 'adamStep', (ps) => new AdamW(ps, { lr: 0.01, weightDecay: 0.05 }) as unknown as Optimizer<object>],
];

/** Runs `steps` steps of an optimizer over two parameters on `backend`; returns the params after each step. */
async function trajectory(engine: Engine, backend: string, make: Make, steps = 4): Promise<number[][][]> {
  const shapes = [[3, 70], [5]];
  const ps = shapes.map((shape, i) => tensor(values(shape.reduce((a, b) => a * b), 11 + i), { shape, engine, backend }).requiresGrad_());
  const opt = make(ps);
  const out: number[][][] = [];
  for (let s = 0; s < steps; s++) {
    ps.forEach((p, i) => {
      p.grad = tensor(values(p.numel(), 100 * s + i), { shape: p.shape, engine, backend });
    });
    engine.tidy(() => {
      opt.step();
    });
    out.push(await Promise.all(ps.map(async (p) => Array.from(await p.data()))));
    opt.zeroGrad();
  }
  opt.dispose();
  return out;
}

describeGpu(gpu)('fused optimizer kernels on webgpu', () => {
  for (const [name, kernel, make] of CASES) {
    it(`${name}: one '${kernel}' call per step for all parameters; the CPU fused kernel's numbers`, async () => {
      const { engine, calls } = spyEngine();
      const web = await trajectory(engine, 'webgpu', make);
      expect(calls[kernel]).toBe(4);
      const cpu = await trajectory(engine, 'cpu', make);
      // the same float32 operations in the same order as the CPU's WASM SIMD loop: equal up to the
      // GPU's division/sqrt accuracy (bit-identical on SwiftShader)
      web.forEach((step, s) =>
        step.forEach((p, i) => p.forEach((v, k) => expect(Math.abs(v - cpu[s]![i]![k]!), `step ${s} param ${i}[${k}]`).toBeLessThanOrEqual(4e-7 * Math.abs(cpu[s]![i]![k]!)))),
      );
    });
  }

  it('copy-on-write: tensors sharing the parameter or state buffers keep their values; versions bump', async () => {
    const { engine } = spyEngine();
    for (const make of [CASES[1]![2], CASES[4]![2]]) {
      const p = tensor([1, 2, 3], { engine, backend: 'webgpu' }).requiresGrad_();
      const opt = make([p]);
      p.grad = tensor([0.5, -0.5, 0.25], { engine, backend: 'webgpu' });
      opt.step();
      const state = Object.values(opt.state.get(p)!).filter((v): v is Tensor => typeof v === 'object' && v !== null && 'dataId' in v);
      expect(state.length).toBeGreaterThan(0);
      const snapshots = [p, ...state].map((t) => t.share());
      const before = await Promise.all(snapshots.map(async (t) => Array.from(await t.data())));
      const versions = [p, ...state].map((t) => t.version);
      opt.step();
      expect(await Promise.all(snapshots.map(async (t) => Array.from(await t.data())))).toEqual(before);
      expect(Array.from(await p.data())).not.toEqual(before[0]);
      expect(p.dataId).not.toBe(snapshots[0]!.dataId);
      expect([p, ...state].every((t, i) => t.version > versions[i]!)).toBe(true);
      opt.dispose();
    }
  });

  it('checks its inputs before writing anything', () => {
    const { engine } = spyEngine();
    const adam = engine.registry.get('adamStep', 'webgpu');
    const f = (v: number[], dtype: 'float32' | 'int32' = 'float32') => tensor(v, { engine, backend: 'webgpu', dtype }).info();
    const attrs = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false, step: [1] };
    const backend = engine.getBackend('webgpu');
    expect(() => adam.kernelFunc({ inputs: [f([1]), f([1]), f([0])], attrs, backend })).toThrow(/tuples of 4/);
    expect(() => adam.kernelFunc({ inputs: [f([1], 'int32'), f([1], 'int32'), f([0], 'int32'), f([0], 'int32')], attrs, backend })).toThrow(DTypeError);
    expect(() => adam.kernelFunc({ inputs: [f([1, 2]), f([1]), f([0, 0]), f([0, 0])], attrs, backend })).toThrow(/differ in size/);
    expect(() => adam.kernelFunc({ inputs: [f([1]), f([1]), f([0]), f([0])], attrs: { ...attrs, step: [] }, backend })).toThrow(/'step'/);
    const shared = f([1]);
    expect(() => adam.kernelFunc({ inputs: [shared, f([1]), shared, f([0])], attrs, backend })).toThrow(/bound twice/);
  });

  it("axpy: x + alpha·u rounded once (as float64 arithmetic rounded to float32, PyTorch's fused add)", async () => {
    const { engine } = spyEngine();
    const n = 4096;
    const x = values(n, 1, 3);
    const u = values(n, 2, 5);
    // cancellation-heavy cases: x close to -alpha·u
    for (let k = 0; k < 512; k++) x[k] = Math.fround(-Math.fround(0.7) * (u[k] as number) * (1 + 2 ** -(k % 24)));
    x.push(1, Infinity, 2, Number.NaN, 0, -0);
    u.push(Infinity, 1, Number.NaN, 2, 0, -0);
    for (const alpha of [0.7, -1.3e-3, 3]) {
      const a = Math.fround(alpha);
      const out = engine.runKernel('axpy', [tensor(x, { engine, backend: 'webgpu' }), tensor(u, { engine, backend: 'webgpu' })], { alpha: a })[0]!;
      const got = Array.from(await out.data());
      const want = x.map((xi, i) => Math.fround(xi + a * (u[i] as number)));
      const bad = got.map((g, i) => (Object.is(g, want[i]) || (Number.isNaN(g) && Number.isNaN(want[i])) || (g === 0 && want[i] === 0) ? -1 : i)).filter((i) => i >= 0);
      expect(bad.slice(0, 5).map((i) => [x[i], u[i], got[i], want[i]]), `alpha ${alpha}`).toEqual([]);
    }
  });

  it('float32 sums are compensated: the double-precision sum rounded once (short and long reductions)', async () => {
    const { engine } = spyEngine();
    for (const n of [5, 63, 1000, 70000]) {
      const v = values(n, n, 1e4).map((x, i) => (i % 7 === 0 ? Math.fround(x * 1e4) : x));
      const got = await sum(tensor(v, { engine, backend: 'webgpu' })).itemAsync();
      expect(got, `n = ${n}`).toBe(Math.fround(v.reduce((a, b) => a + b, 0)));
    }
    expect(await sum(tensor([1, Infinity, 2], { engine, backend: 'webgpu' })).itemAsync()).toBe(Infinity);
    expect(await sum(tensor([-Infinity, 1], { engine, backend: 'webgpu' })).itemAsync()).toBe(-Infinity);
    expect(Number.isNaN(await sum(tensor([Infinity, -Infinity], { engine, backend: 'webgpu' })).itemAsync())).toBe(true);
    expect(await sum(tensor([1e8, 1, -1e8, 1], { engine, backend: 'webgpu' })).itemAsync()).toBe(2);
  });
});
