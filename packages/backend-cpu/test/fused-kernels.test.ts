/** The optional fused optimizer kernels 'sgdStep' and 'adamStep': hand-derived values and validation. */
import { describe, expect, it } from 'vitest';
import { Engine, type DType, type Tensor } from '@backstep/tensor';
import { CPU_FUSED_KERNELS, CPU_KERNELS, registerCpuBackend, registerCpuFusedKernels } from '../src/index.js';
import { hasSimdAdam } from '../src/kernels/fused-adam-stream.js';

const engine = new Engine();
registerCpuBackend(engine, { fused: true });

function t(values: number[], dtype: DType = 'float64'): Tensor {
  const arr = dtype === 'float32' ? new Float32Array(values) : dtype === 'float64' ? new Float64Array(values) : new Int32Array(values);
  return engine.makeTensor(arr, [values.length], dtype);
}

function run(name: string, inputs: Tensor[], attrs: Record<string, unknown>): void {
  const k = engine.registry.get(name, 'cpu');
  const out = k.kernelFunc({ inputs: inputs.map((x) => x.info()), attrs, backend: engine.getBackend('cpu') });
  expect(out).toEqual([]);
}

const v = (x: Tensor): number[] => Array.from(x.dataSync() as Float64Array);
const SGD = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
const ADAM = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false };

describe('registration', () => {
  it('fused kernels are optional: on by default, can be left out, not part of CPU_KERNELS', () => {
    const byDefault = new Engine();
    registerCpuBackend(byDefault);
    expect(byDefault.hasKernel('adamStep', 'cpu')).toBe(true);
    const plain = new Engine();
    registerCpuBackend(plain, { fused: false });
    expect(plain.hasKernel('adamStep', 'cpu')).toBe(false);
    registerCpuFusedKernels(plain);
    registerCpuFusedKernels(plain);
    expect(plain.hasKernel('adamStep', 'cpu')).toBe(true);
    expect(plain.hasKernel('sgdStep', 'cpu')).toBe(true);
    expect(CPU_FUSED_KERNELS.map((k) => k.kernelName)).toEqual(['sgdStep', 'adamStep']);
    expect(CPU_KERNELS.some((k) => k.kernelName === 'adamStep')).toBe(false);
  });
});

describe('sgdStep', () => {
  it('plain, weight decay and maximize, in place', () => {
    const p = t([1, 2]);
    const id = p.dataId;
    run('sgdStep', [p, t([0.5, -1])], { ...SGD, firstStep: [false] });
    expect(p.dataId).toBe(id);
    expect(v(p)).toEqual([1 - 0.1 * 0.5, 2 + 0.1 * 1]);
    const q = t([1, 2]);
    run('sgdStep', [q, t([0.5, -1])], { ...SGD, weightDecay: 0.5, maximize: true, firstStep: [false] });
    // d = -g + 0.5·p = [0, 2]
    expect(v(q)).toEqual([1, 2 - 0.1 * 2]);
  });

  it('momentum: the buffer starts as d, then decays with dampening; nesterov looks ahead', () => {
    const p = t([1]);
    const b = t([0]);
    const attrs = { ...SGD, momentum: 0.5, dampening: 0.25 };
    run('sgdStep', [p, t([2]), b], { ...attrs, firstStep: [true] });
    expect(v(b)).toEqual([2]);
    expect(v(p)).toEqual([1 - 0.1 * 2]);
    run('sgdStep', [p, t([4]), b], { ...attrs, firstStep: [false] });
    expect(v(b)).toEqual([0.5 * 2 + 0.75 * 4]);
    expect(v(p)[0]).toBeCloseTo(0.8 - 0.1 * 4, 15);
    const pn = t([1]);
    const bn = t([0]);
    run('sgdStep', [pn, t([2]), bn], { ...SGD, momentum: 0.5, nesterov: true, firstStep: [true] });
    expect(v(pn)).toEqual([1 - 0.1 * (2 + 0.5 * 2)]);
  });
});

describe('adamStep', () => {
  it('first step from zero state (float64): m = (1-β1)g, v = (1-β2)g², p -= lr·g/(|g| + eps)', () => {
    const p = t([1, -1]);
    const m = t([0, 0]);
    const s = t([0, 0]);
    run('adamStep', [p, t([0.5, -0.25]), m, s], { ...ADAM, step: [1] });
    expect(v(m)[0]).toBeCloseTo(0.05, 15);
    expect(v(s)[1]).toBeCloseTo(0.001 * 0.0625, 17);
    expect(v(p)[0]).toBeCloseTo(1 - 0.1 * (0.5 / (0.5 + 1e-8)), 12);
    expect(v(p)[1]).toBeCloseTo(-1 + 0.1 * (0.25 / (0.25 + 1e-8)), 12);
  });

  it('AdamW decays the parameter first; Adam adds wd·p to the gradient; maximize negates', () => {
    const pw = t([2]);
    run('adamStep', [pw, t([1]), t([0]), t([0])], { ...ADAM, weightDecay: 0.5, decoupledWeightDecay: true, step: [1] });
    expect(v(pw)[0]).toBeCloseTo(2 * (1 - 0.05) - 0.1 * (1 / (1 + 1e-8)), 12);
    const pa = t([2]);
    const ma = t([0]);
    run('adamStep', [pa, t([1]), ma, t([0])], { ...ADAM, weightDecay: 0.5, step: [1] });
    expect(v(ma)[0]).toBeCloseTo(0.1 * 2, 15); // g = 1 + 0.5·2
    const pm = t([2]);
    run('adamStep', [pm, t([1]), t([0]), t([0])], { ...ADAM, maximize: true, step: [1] });
    expect(v(pm)[0]).toBeCloseTo(2.1, 7);
  });

  it('amsgrad keeps the running maximum of v; bias corrections use each parameter\'s step', () => {
    const p = t([0]);
    const vmax = t([1]);
    const s = t([0.5]);
    run('adamStep', [p, t([0]), t([0]), s, vmax], { ...ADAM, amsgrad: true, step: [3] });
    expect(v(vmax)).toEqual([1]);
    expect(v(s)).toEqual([0.5 * 0.999]);
    // two parameters of different dtypes and steps in one call
    const a = t([1], 'float32');
    const b = t([1], 'float64');
    run('adamStep', [a, t([1], 'float32'), t([0], 'float32'), t([0], 'float32'), b, t([1]), t([0.1]), t([0])], { ...ADAM, step: [1, 2] });
    expect(Array.from(a.dataSync() as Float32Array)[0]).toBeCloseTo(0.9, 6);
    const mb = 0.9 * 0.1 + 0.1;
    const vb = 0.001;
    const expected = 1 - ((0.1 / (1 - 0.81)) * mb) / (Math.sqrt(vb) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
    expect(v(b)[0]).toBeCloseTo(expected, 12);
  });

  it('validates everything before writing anything', () => {
    const p = t([1]);
    const cases: Array<[Tensor[], Record<string, unknown>, RegExp]> = [
      [[p, t([1]), t([0])], { ...ADAM, step: [1] }, /tuples of 4/],
      [[p, t([1], 'float32'), t([0]), t([0])], { ...ADAM, step: [1] }, /mixes float64 and float32/],
      [[p, t([1, 2]), t([0]), t([0])], { ...ADAM, step: [1] }, /differ in size/],
      [[p, t([1]), t([0]), t([0])], { ...ADAM, step: [] }, /attr 'step' must be an array/],
      [[p, t([1]), t([0]), t([0])], { ...ADAM, lr: undefined, step: [1] }, /attr 'lr' must be a number/],
      [[t([1], 'int32'), t([1], 'int32'), t([0], 'int32'), t([0], 'int32')], { ...ADAM, step: [1] }, /float32 or float64/],
      [[p, t([1, 2])], { ...SGD, firstStep: [false] }, /differ in size/],
    ];
    for (const [inputs, attrs, message] of cases) {
      const name = 'firstStep' in attrs ? 'sgdStep' : 'adamStep';
      expect(() => run(name, inputs, attrs)).toThrow(message);
    }
    expect(v(p)).toEqual([1]);
  });
});

describe('adamStep, float32 through WASM SIMD', () => {
  it('is available in this runtime', () => {
    expect(hasSimdAdam()).toBe(true);
  });

  // sizes: a tail that is not a whole vector, and more than one 16384-element chunk
  it.each([5, 40_003])('matches the float64 formula within float32 rounding (n = %i), all variants', (n) => {
    const variants = [
      { ...ADAM },
      { ...ADAM, maximize: true, weightDecay: 0.1 },
      { ...ADAM, decoupledWeightDecay: true, weightDecay: 0.1 },
      { ...ADAM, amsgrad: true },
    ];
    for (const attrs of variants) {
      const init = (k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + 1) * 0.5);
      const [p0, g0, m0] = [init(1), init(2), init(3)];
      const v0 = init(4).map((x) => x * x);
      const x0 = init(5).map((x) => x * x);
      const p = t(p0, 'float32');
      const state = [t(m0, 'float32'), t(v0, 'float32')];
      if (attrs.amsgrad) state.push(t(x0, 'float32'));
      run('adamStep', [p, t(g0, 'float32'), ...state], { ...attrs, step: [7] });
      const f = (x: number): number => Math.fround(x);
      const stepSize = attrs.lr / (1 - attrs.beta1 ** 7);
      const bc2 = Math.sqrt(1 - attrs.beta2 ** 7);
      const got = Array.from(p.dataSync() as Float32Array);
      const gotV = Array.from(state[1]!.dataSync() as Float32Array);
      for (let i = 0; i < n; i++) {
        const pi = f(p0[i]!);
        let g = (attrs.maximize ? -1 : 1) * f(g0[i]!);
        if (!attrs.decoupledWeightDecay) g += attrs.weightDecay * pi;
        const m = attrs.beta1 * f(m0[i]!) + (1 - attrs.beta1) * g;
        let v = attrs.beta2 * f(v0[i]!) + (1 - attrs.beta2) * g * g;
        expect(Math.abs(gotV[i]! - v)).toBeLessThanOrEqual(1e-6 * Math.abs(v) + 1e-12);
        if (attrs.amsgrad) v = Math.max(v, f(x0[i]!));
        const decay = attrs.decoupledWeightDecay ? 1 - attrs.lr * attrs.weightDecay : 1;
        const expected = pi * decay - (stepSize * m) / (Math.sqrt(v) / bc2 + attrs.eps);
        expect(Math.abs(got[i]! - expected)).toBeLessThanOrEqual(2e-6 * Math.abs(expected) + 1e-7);
      }
    }
  });
});

describe('adamStep, float32 through WASM SIMD, large parameters', () => {
  it('gives bit-identical results whether a parameter (over 2^20 elements) is stepped whole or in two halves', () => {
    const n = (1 << 20) + 37;
    const init = (k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k + 1) * 0.5);
    const [p0, g0, m0] = [init(1), init(2), init(3)];
    const v0 = init(4).map((x) => x * x);
    const big = [t(Array.from(p0), 'float32'), t(Array.from(g0), 'float32'), t(Array.from(m0), 'float32'), t(Array.from(v0), 'float32')];
    run('adamStep', big, { ...ADAM, step: [3] });
    const half = n >> 1;
    for (const [a, b] of [[0, half], [half, n]] as const) {
      const part = [p0, g0, m0, v0].map((x) => t(Array.from(x.subarray(a, b)), 'float32'));
      run('adamStep', part, { ...ADAM, step: [3] });
      for (const k of [0, 2, 3]) {
        const want = new Uint32Array((big[k]!.dataSync() as Float32Array).slice(a, b).buffer);
        const got = new Uint32Array((part[k]!.dataSync() as Float32Array).buffer);
        let diff = 0;
        for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) diff++;
        expect(diff).toBe(0);
      }
    }
  });
});

describe('sgdStep, float32 through WASM SIMD', () => {
  it('matches the float64 formula within float32 rounding (n = 40003), every variant', () => {
    const n = 40003;
    const init = (seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed) * (1 + (i % 7)));
    for (const [momentum, nesterov, first, wd, maximize] of [[0, false, false, 0.1, true], [0.9, false, true, 0, false], [0.9, false, false, 0.01, false], [0.8, true, true, 0, true], [0.8, true, false, 0.2, false]] as const) {
      const [p0, g0, b0] = [init(1), init(2), init(3)];
      const p32 = t(p0, 'float32');
      const b32 = t(b0, 'float32');
      const p64 = t(p0.map(Math.fround));
      const b64 = t(b0.map(Math.fround));
      const attrs = { ...SGD, momentum, dampening: 0.1, weightDecay: wd, nesterov, maximize, firstStep: [first] };
      const g = g0.map(Math.fround);
      run('sgdStep', momentum === 0 ? [p32, t(g, 'float32')] : [p32, t(g, 'float32'), b32], attrs);
      run('sgdStep', momentum === 0 ? [p64, t(g)] : [p64, t(g), b64], attrs);
      const [got, want] = [p32.dataSync(), p64.dataSync()];
      for (let i = 0; i < n; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want[i] as number)));
      if (momentum !== 0) {
        const [bg, bw] = [b32.dataSync(), b64.dataSync()];
        for (let i = 0; i < n; i++) expect(Math.abs((bg[i] as number) - (bw[i] as number))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(bw[i] as number)));
      }
    }
  });
});
