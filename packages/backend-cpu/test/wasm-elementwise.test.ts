import { Engine } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { registerCpuBackend } from '../src/index.js';
import { CHUNK } from '../src/wasm/elementwise.js';

const engine = new Engine();
registerCpuBackend(engine, { setCurrent: true });

function rand(n: number, seed: number, scale = 4): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * scale;
  });
}

function run(name: string, inputs: [Float32Array, number[]][], attrs: Record<string, unknown> = {}): Float32Array {
  const ts = inputs.map(([v, shape]) => engine.makeTensor(v, shape, 'float32'));
  const y = engine.run(name as 'add', ts, attrs as never);
  const out = y.dataSync() as Float32Array;
  for (const t of [...ts, y]) t.dispose();
  return out;
}

const close = (got: number, want: number, rtol: number, atol: number): boolean =>
  Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)) || Math.abs(got - want) <= atol + rtol * Math.abs(want);

function expectAll(got: ArrayLike<number>, want: ArrayLike<number>, rtol = 0, atol = 0): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!close(got[i] as number, want[i] as number, rtol, atol)) {
      throw new Error(`element ${i}: got ${got[i]}, want ${want[i]}`);
    }
  }
}

const SPECIAL = new Float32Array([0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-40, -1e-40, 88.7, 89, -87.5, -103, -104, 1e-8, 0.6, 0.65, 20, -20, 3.4e38]);

describe('float32 WASM SIMD elementwise kernels', () => {
  const n = CHUNK * 2 + 13;
  const x = new Float32Array(n);
  x.set(rand(n, 7, 40));
  x.set(SPECIAL, 5);
  const fns: Record<string, (v: number) => number> = {
    exp: Math.exp, log: Math.log, tanh: Math.tanh, sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    relu: (v) => (v > 0 ? v : v !== v ? v : 0), sqrt: Math.sqrt, neg: (v) => -v, abs: Math.abs,
  };
  for (const [name, fn] of Object.entries(fns)) {
    it(`${name} over ${n} elements (chunk boundaries, special values) is within 2 ulp of Math`, () => {
      const input = name === 'log' || name === 'sqrt' ? x.map(Math.abs).map((v, i) => (i % 97 === 0 ? -v : v)) : x;
      const got = run(name, [[input, [n]]]);
      const want = Array.from(input, (v) => Math.fround(fn(v)));
      const exact = ['relu', 'sqrt', 'neg', 'abs'].includes(name);
      expectAll(got, want, exact ? 0 : 3e-7, exact ? 0 : 1e-37);
    });
  }

  const shapes: [number[], number[]][] = [
    [[n], [n]], [[n], [1]], [[1], [n]], [[300, 257], [257]], [[300, 257], [300, 1]], [[257], [300, 257]],
    [[4, 7, 33, 5], [7, 1, 1]], [[3, 1, 5], [1, 4, 1]], [[2, 3], [2, 3]], [[5, 130, 130], [130, 130]],
  ];
  const ops: Record<string, (a: number, b: number) => number> = {
    add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, maximum: Math.max, minimum: Math.min,
  };
  for (const [as, bs] of shapes) {
    it(`binary ops broadcast ${JSON.stringify(as)} with ${JSON.stringify(bs)} exactly as float32`, () => {
      const an = as.reduce((p, d) => p * d, 1);
      const bn = bs.reduce((p, d) => p * d, 1);
      const a = rand(an, 3);
      const b = rand(bn, 5);
      b[0] = NaN;
      a[1 % an] = -0;
      for (const [name, fn] of Object.entries(ops)) {
        const ta = engine.makeTensor(a, as, 'float32');
        const tb = engine.makeTensor(b, bs, 'float32');
        const y = engine.run(name as 'add', [ta, tb], {});
        const ref = engine.run(name as 'add', [engine.run('cast', [ta], { dtype: 'float64' }), engine.run('cast', [tb], { dtype: 'float64' })], {});
        expect(y.shape).toEqual(ref.shape);
        expectAll(y.dataSync(), Array.from(ref.dataSync(), (v) => Math.fround(v)));
        void fn;
      }
    });
  }

  const reductions: [number[], number[]][] = [
    [[n], [0]], [[300, 257], [1]], [[300, 257], [0]], [[4, 50, 7], [1]], [[4, 50, 7], [1, 2]], [[4, 50, 7], [0, 1]],
    [[3, 1, 5, 2], [2, 3]], [[CHUNK * 5 + 1], [0]],
    // a leading and a trailing reduced block around the kept dims (conv bias gradients)
    [[32, 8, 28, 28], [0, 2, 3]], [[5, 3, 1, 7, 9], [0, 3, 4]], [[6, 1, 40], [0, 2]],
  ];
  for (const [shape, axes] of reductions) {
    it(`sum/max/min of ${JSON.stringify(shape)} over ${JSON.stringify(axes)} match the float64 kernels`, () => {
      const size = shape.reduce((p, d) => p * d, 1);
      const v = rand(size, 11, 100);
      for (const name of ['sum', 'max', 'min'] as const) {
        const t = engine.makeTensor(v, shape, 'float32');
        const y = engine.run(name, [t], { axes, keepdim: false });
        const ref = engine.run(name, [engine.run('cast', [t], { dtype: 'float64' })], { axes, keepdim: false });
        expect(y.shape).toEqual(ref.shape);
        expectAll(y.dataSync(), Array.from(ref.dataSync(), (x) => Math.fround(x)), name === 'sum' ? 1e-6 : 0, name === 'sum' ? 1e-4 : 0);
      }
    });
  }

  it('max propagates NaN through the SIMD lanes and the chunk combination', () => {
    const v = rand(CHUNK * 3, 2);
    v[CHUNK + 5] = NaN;
    expect(run('max', [[v, [v.length]]], { axes: [0], keepdim: false })[0]).toBeNaN();
    expect(run('max', [[v, [3, CHUNK]]], { axes: [1], keepdim: false })[1]).toBeNaN();
  });

  for (const [rows, size] of [[1, 1], [7, 3], [128, 10], [33, 1000], [3, 5000]] as const) {
    it(`softmax/logSoftmax of [${rows}, ${size}] match the float64 kernels`, () => {
      const v = rand(rows * size, 13, 30);
      v[0] = 1000;
      for (const name of ['softmax', 'logSoftmax'] as const) {
        const t = engine.makeTensor(v, [rows, size], 'float32');
        const y = engine.run(name, [t], { axis: 1 });
        const ref = engine.run(name, [engine.run('cast', [t], { dtype: 'float64' })], { axis: 1 });
        expectAll(y.dataSync(), ref.dataSync(), 2e-6, 1e-7);
      }
    });
  }
});
