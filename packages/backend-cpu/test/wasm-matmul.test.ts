import { Engine } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { registerCpuBackend } from '../src/index.js';
import { wasmRuntime } from '../src/wasm/runtime.js';
import { rand } from './seeded-random.js';

/** Double-precision reference of a batched product with broadcasting and transposes. */
function reference(a: Float32Array, b: Float32Array, ba: number, bb: number, m: number, k: number, n: number, ta: boolean, tb: boolean): Float64Array {
  const batch = Math.max(ba, bb);
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = (ba === 1 ? 0 : t) * m * k;
    const bo = (bb === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (a[ao + (ta ? p * m + i : i * k + p)] as number) * (b[bo + (tb ? j * k + p : p * n + j)] as number);
        out[(t * m + i) * n + j] = s;
      }
    }
  }
  return out;
}

const engine = new Engine();
registerCpuBackend(engine, { setCurrent: true });

describe('float32 matmul through the WASM SIMD gemm', () => {
  it('is available in this runtime', () => {
    expect(wasmRuntime()).not.toBeNull();
  });

  const shapes: [number, number, number, number, number][] = [
    [1, 1, 1, 1, 1], [1, 1, 3, 4, 5], [2, 2, 7, 9, 13], [1, 3, 5, 1, 17], [3, 1, 17, 33, 19],
    [1, 1, 64, 64, 64], [2, 1, 31, 257, 45], [1, 1, 100, 513, 30], [1, 1, 1, 300, 1], [4, 4, 6, 300, 10],
    [1, 1, 130, 70, 9], [1, 1, 9, 70, 130],
  ];
  for (const [ba, bb, m, k, n] of shapes) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        it(`[${ba},${m},${k}]${ta ? 'ᵀ' : ''} @ [${bb},${k},${n}]${tb ? 'ᵀ' : ''} matches the double reference`, () => {
          const av = rand(ba * m * k, m * 7 + k);
          const bv = rand(bb * k * n, n * 13 + k);
          const a = engine.makeTensor(av, ta ? [ba, k, m] : [ba, m, k], 'float32');
          const b = engine.makeTensor(bv, tb ? [bb, n, k] : [bb, k, n], 'float32');
          const y = engine.run('matmul', [a, b], { transposeA: ta, transposeB: tb });
          const got = y.dataSync();
          const want = reference(av, bv, ba, bb, m, k, n, ta, tb);
          expect(y.shape).toEqual([Math.max(ba, bb), m, n]);
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)));
          expect(worst).toBeLessThan(2e-6 * Math.sqrt(k) + 1e-7);
          for (const t of [a, b, y]) t.dispose();
        });
      }
    }
  }

  it('gives zeros for k = 0 and empty results for empty dims', () => {
    const a = engine.makeTensor(new Float32Array(0), [2, 3, 0], 'float32');
    const b = engine.makeTensor(new Float32Array(0), [2, 0, 4], 'float32');
    expect([...engine.run('matmul', [a, b], { transposeA: false, transposeB: false }).dataSync()]).toEqual(new Array(24).fill(0));
  });

  it('propagates NaN and Infinity like the reference', () => {
    const a = engine.makeTensor(new Float32Array([0, 1, Infinity, 2]), [1, 2, 2], 'float32');
    const b = engine.makeTensor(new Float32Array([Infinity, 1, 1, NaN]), [1, 2, 2], 'float32');
    const y = [...engine.run('matmul', [a, b], { transposeA: false, transposeB: false }).dataSync()];
    expect(y.map(String)).toEqual(['NaN', 'NaN', 'Infinity', 'NaN']);
  });
});
