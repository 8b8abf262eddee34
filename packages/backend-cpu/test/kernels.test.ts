import { DTypeError, Engine, type DType, type KernelAttrs, type KernelName, type Tensor } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { erf, erfc, registerCpuBackend } from '../src/index.js';

const engine = new Engine();
registerCpuBackend(engine);

type In = [values: number[], shape: number[], dtype?: DType];

function t([values, shape, dtype = 'float32']: In): Tensor {
  const arr =
    dtype === 'float32' ? new Float32Array(values) : dtype === 'float64' ? new Float64Array(values) : dtype === 'int32' ? new Int32Array(values) : new Uint8Array(values);
  return engine.makeTensor(arr, shape, dtype);
}

function run<K extends KernelName>(name: K, inputs: In[], attrs: KernelAttrs[K]): { shape: number[]; dtype: DType; values: number[] } {
  const y = engine.run(name, inputs.map(t), attrs);
  return { shape: [...y.shape], dtype: y.dtype, values: Array.from(y.dataSync()) };
}

describe('erf / erfc (Cody)', () => {
  // references: CPython's math.erf / math.erfc (an independent libm implementation)
  it('matches math.erf to ~1 ulp across all branches', () => {
    const xs = [-3.7, -1.2345, -0.3, 0.01, 0.46875, 0.47, 0.9, 1.5, 2.7, 3.99, 4.01, 5.5];
    const ref = [
      -0.9999998328489421, -0.9191623964135658, -0.3286267594591274, 0.011283415555849616, 0.49261347321793797, 0.4937450508860821,
      0.7969082124228322, 0.9661051464753108, 0.9998656672600594, 0.9999999832607886, 0.9999999858030606, 0.9999999999999927,
    ];
    xs.forEach((x, i) => expect(Math.abs(erf(x) - (ref[i] as number))).toBeLessThanOrEqual(2e-16 * Math.abs(ref[i] as number) + 1e-300));
  });

  it('erfc keeps relative accuracy deep in the tail', () => {
    const ys = [0.5, 1, 2, 4.5, 6, 10, 20, 26];
    const ref = [0.4795001221869535, 0.15729920705028513, 0.004677734981047265, 1.9661604415428873e-10, 2.1519736712498916e-17, 2.088487583762545e-45, 5.3958656116079005e-176, 5.663192408856143e-296];
    ys.forEach((y, i) => expect(Math.abs(erfc(y) / (ref[i] as number) - 1)).toBeLessThan(2e-15));
    expect(erfc(-2)).toBeCloseTo(1.9953222650189528, 15);
    expect(erfc(30)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
    expect(erfc(NaN)).toBeNaN();
  });
});

describe('cpu kernel semantics (PyTorch)', () => {
  it('float32 results are rounded to float32', () => {
    const y = run('div', [[[1], [1]], [[3], [1]]], {});
    expect(y.values[0]).toBe(Math.fround(1 / 3));
    expect(run('exp', [[[1], [1]]], {}).values[0]).toBe(Math.fround(Math.E));
  });

  it('sign(NaN) is 0 as in PyTorch 1.13', () => {
    expect(run('sign', [[[NaN, -0, 2], [3]]], {}).values).toEqual([0, 0, 1]);
  });

  it('pow follows C: 1^NaN = 1, NaN^0 = 1, (-1)^±inf = 1', () => {
    const y = run('pow', [[[1, NaN, -1, -1], [4], 'float64'], [[NaN, 0, Infinity, -Infinity], [4], 'float64']], {});
    expect(y.values).toEqual([1, 1, 1, 1]);
  });

  it('int32 pow with negative exponents follows PyTorch', () => {
    const y = run('pow', [[[2, 1, -1, -1, 0], [5], 'int32'], [[-1, -5, -3, -2, -1], [5], 'int32']], {});
    expect(y.values).toEqual([0, 1, -1, 1, 0]);
    expect(run('pow', [[[3], [1], 'int32'], [[40], [1], 'int32']], {}).values).toEqual([Number(BigInt.asIntN(32, 3n ** 40n))]);
  });

  it('int32 div truncates and rejects division by zero', () => {
    expect(run('div', [[[7, -7, 7, -7], [4], 'int32'], [[2, 2, -2, -2], [4], 'int32']], {}).values).toEqual([3, -3, -3, 3]);
    expect(() => run('div', [[[1], [1], 'int32'], [[0], [1], 'int32']], {})).toThrow(/integer division by zero/);
  });

  it('float-only kernels reject integer inputs with a DTypeError', () => {
    for (const name of ['exp', 'log', 'sigmoid', 'erf', 'reciprocal'] as const) {
      expect(() => run(name, [[[1, 2], [2], 'int32']], {}), name).toThrow(DTypeError);
    }
    expect(() => run('softmax', [[[1, 2], [2], 'int32']], { axis: 0 })).toThrow(DTypeError);
    expect(() => run('neg', [[[1, 0], [2], 'bool']], {})).toThrow(DTypeError);
    expect(() => run('matmul', [[[1], [1, 1, 1], 'bool'], [[1], [1, 1, 1], 'bool']], { transposeA: false, transposeB: false })).toThrow(DTypeError);
  });

  it('binary kernels require one dtype', () => {
    expect(() => run('add', [[[1], [1], 'float32'], [[1], [1], 'float64']], {})).toThrow(/one dtype/);
  });

  it('max/min over an empty dim throw a clear error; sum/prod do not', () => {
    expect(() => run('max', [[[], [0, 3]]], { axes: [0], keepdim: false })).toThrow(/max\(\): cannot reduce over a dimension of size 0/);
    expect(() => run('min', [[[], [0]]], { axes: [0], keepdim: false })).toThrow(/size 0/);
    expect(run('max', [[[], [0, 3]]], { axes: [1], keepdim: false })).toEqual({ shape: [0], dtype: 'float32', values: [] });
    expect(run('prod', [[[], [0], 'int32']], { axes: [0], keepdim: false })).toEqual({ shape: [], dtype: 'int32', values: [1] });
  });

  it('reductions with no axes copy the input (a 0-d tensor accepts axis 0)', () => {
    expect(run('sum', [[[1, 2, 3], [3], 'bool']], { axes: [], keepdim: false })).toEqual({ shape: [3], dtype: 'int32', values: [1, 1, 1] });
    expect(run('sum', [[[5], []]], { axes: [0], keepdim: true })).toEqual({ shape: [], dtype: 'float32', values: [5] });
    expect(() => run('sum', [[[1, 2], [2]]], { axes: [1], keepdim: false })).toThrow(RangeError);
    expect(() => run('sum', [[[1, 2], [2]]], { axes: [0, 0], keepdim: false })).toThrow(/multiple times/);
  });

  it('float sums are compensated', () => {
    const vals = [1e8, 1, -1e8, 1, 1e-8];
    expect(run('sum', [[vals, [5], 'float64']], { axes: [0], keepdim: false }).values[0]).toBe(2.00000001);
  });

  it('index errors name the index, the dim and its size', () => {
    expect(() => run('gather', [[[1, 2, 3], [3]], [[0, 3], [2], 'int32']], { axis: 0 })).toThrow(
      'gather: index 3 is out of bounds for dimension 0 with size 3',
    );
    expect(() => run('indexSelect', [[[1, 2, 3, 4], [2, 2]], [[-1], [1], 'int32']], { axis: 1 })).toThrow(
      'indexSelect: index -1 is out of bounds for dimension 1 with size 2',
    );
    expect(() => run('indexAdd', [[[1, 2], [2]], [[2], [1], 'int32'], [[1], [1]]], { axis: 0 })).toThrow(RangeError);
    expect(() => run('scatter', [[[1, 2], [2]], [[0, 9], [2], 'int32'], [[1, 1], [2]]], { axis: 0 })).toThrow(/index 9 .* size 2/);
    expect(() => run('gather', [[[1, 2, 3], [3]], [[0], [1], 'float32']], { axis: 0 })).toThrow(/int32 index/);
  });

  it('gather/scatter reject index shapes torch rejects', () => {
    expect(() => run('gather', [[[1, 2, 3, 4], [2, 2]], [[0, 0, 0], [3, 1], 'int32']], { axis: 1 })).toThrow(/larger than the input/);
    expect(() => run('gather', [[[1, 2, 3, 4], [2, 2]], [[0, 0], [2], 'int32']], { axis: 0 })).toThrow(/same number of dims/);
    expect(() => run('scatter', [[[1, 2, 3, 4], [4]], [[0, 1, 2], [3], 'int32'], [[1, 1], [2]]], { axis: 0 })).toThrow(/larger than src/);
  });

  it('cast float to int32 truncates toward zero; NaN gives 0', () => {
    expect(run('cast', [[[-1.9, 1.9, -0.5, NaN], [4], 'float64']], { dtype: 'int32' }).values).toEqual([-1, 1, 0, 0]);
  });

  it('slice validates its ranges', () => {
    expect(() => run('slice', [[[1, 2, 3], [3]]], { begin: [2], end: [1], step: [1] })).toThrow(RangeError);
    expect(() => run('slice', [[[1, 2, 3], [3]]], { begin: [0], end: [4], step: [1] })).toThrow(RangeError);
    expect(() => run('slice', [[[1, 2, 3], [3]]], { begin: [0], end: [3], step: [0] })).toThrow(RangeError);
  });

  it('transpose rejects a non-permutation', () => {
    expect(() => run('transpose', [[[1, 2, 3, 4], [2, 2]]], { perm: [0, 0] })).toThrow(/not a permutation/);
  });

  it('clamp of ints keeps int32', () => {
    expect(run('clamp', [[[-5, 0, 5], [3], 'int32']], { min: -1, max: 2 })).toEqual({ shape: [3], dtype: 'int32', values: [-1, 0, 2] });
  });

  it('matmul handles a larger problem like the naive product (float64)', () => {
    const m = 37;
    const k = 53;
    const n = 29;
    const a = Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const y = run('matmul', [[a, [1, m, k], 'float64'], [b, [1, k, n], 'float64']], { transposeA: false, transposeB: false });
    for (let i = 0; i < m; i += 7) {
      for (let j = 0; j < n; j += 5) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[i * k + p] as number) * (b[p * n + j] as number);
        expect(y.values[i * n + j]).toBeCloseTo(s, 12);
      }
    }
  });

  it('col2im rejects bool', () => {
    expect(() =>
      run('col2im', [[[1, 1, 1, 1], [1, 4, 1], 'bool']], { outputSize: [2, 2], kernelSize: [2, 2], stride: [1, 1], padding: [0, 0], dilation: [1, 1] }),
    ).toThrow(DTypeError);
  });
});
