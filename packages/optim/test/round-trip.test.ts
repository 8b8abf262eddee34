/**
 * For every optimizer of the table: saving the state dict at step k, loading it into a fresh
 * optimizer over fresh parameters with the same values and continuing is BIT-IDENTICAL to
 * uninterrupted training (float32 and float64, fused and composed paths). Also: a training loop
 * holds flat engine memory across 50 steps.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Engine, type Tensor } from '@backstep/tensor';
import type { Optimizer } from '../src/index.js';
import { bits, makeEngine } from './helpers.js';
import { OPTIMIZERS, type OptimizerDescriptor } from './optimizers.table.js';

const engines: Record<'fused' | 'composed', Engine> = { fused: makeEngine(true), composed: makeEngine(false) };
const SHAPES = [[3, 4], [4], [2]];
const TOTAL = 9;
const SPLIT = 4;

/** Deterministic, sign-changing gradients (exact dyadic values). */
function gradValues(step: number, param: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (((step * 7 + param * 5 + i * 3) % 11) - 5) / 8 + (i % 2 ? 1 / 64 : 0));
}

function makeParams(engine: Engine, dtype: 'float32' | 'float64', values?: number[][]): Tensor[] {
  return SHAPES.map((shape, k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = values ? values[k]! : Array.from({ length: n }, (_, i) => (i - k) / 16);
    return tensor(dtype === 'float32' ? new Float32Array(data) : new Float64Array(data), { engine, shape, dtype, requiresGrad: true });
  });
}

function build(d: OptimizerDescriptor, params: Tensor[]): Optimizer<object> {
  // two groups: the last parameter gets its own learning rate
  const lr = (d.options['lr'] as number) / 2;
  return d.create([{ params: params.slice(0, 2) }, { params: params.slice(2), lr }] as never, d.options);
}

function runSteps(opt: Optimizer<object>, params: Tensor[], from: number, to: number, engine: Engine, skipLastAt = -1): void {
  for (let s = from; s < to; s++) {
    params.forEach((p, k) => {
      // parameter 2 has no gradient at one step: it must be skipped (no state change)
      if (k === 2 && s === skipLastAt) return;
      const dtype = p.dtype === 'float32' ? 'float32' : 'float64';
      p.grad = tensor(gradValues(s, k, p.numel()), { engine, shape: p.shape, dtype });
    });
    opt.step();
    opt.zeroGrad();
  }
}

function stateBits(opt: Optimizer<object>): unknown {
  const sd = opt.stateDict();
  const conv = (v: unknown): unknown => (v !== null && typeof v === 'object' && 'dataSync' in v ? bits(v as Tensor) : Array.isArray(v) ? v.map(conv) : v);
  return {
    groups: sd.paramGroups,
    state: Object.fromEntries(Object.entries(sd.state).map(([k, e]) => [k, Object.fromEntries(Object.entries(e).map(([n, v]) => [n, conv(v)]))])),
  };
}

for (const d of OPTIMIZERS) {
  describe(`${d.name} state dict round trip`, () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const path of ['fused', 'composed'] as const) {
        it(`save at step ${SPLIT}, load into a fresh optimizer, continue: bit-identical (${dtype}, ${path})`, () => {
          const engine = engines[path];
          const pa = makeParams(engine, dtype);
          const a = build(d, pa);
          runSteps(a, pa, 0, TOTAL, engine, 2);

          const pb = makeParams(engine, dtype);
          const b = build(d, pb);
          runSteps(b, pb, 0, SPLIT, engine, 2);
          const saved = b.stateDict();
          const values = pb.map((p) => Array.from(p.dataSync() as ArrayLike<number>));
          // keep training the original: the saved dict must not alias its buffers
          runSteps(b, pb, SPLIT, SPLIT + 2, engine);
          const pc = makeParams(engine, dtype, values);
          const c = build(d, pc);
          c.loadStateDict(saved);
          runSteps(c, pc, SPLIT, TOTAL, engine);
          pc.forEach((p, k) => expect(bits(p), `param ${k}`).toEqual(bits(pa[k]!)));
          expect(stateBits(c)).toEqual(stateBits(a));
          expect(c.stepCount).toBe(TOTAL - SPLIT);
          [a, b, c].forEach((o) => o.dispose());
        });
      }
    }
  });
}

describe('memory', () => {
  for (const d of OPTIMIZERS) {
    for (const path of ['fused', 'composed'] as const) {
      it(`${d.name} (${path}): engine memory is flat across 50 steps (after a warm-up)`, () => {
        const engine = engines[path];
        const params = makeParams(engine, 'float32');
        const opt = build(d, params);
        const before = engine.memory();
        // warm up: state is created on the first step; ASGD's average stops sharing the
        // parameter's buffer once averaging starts (t0 = 3 in the table's options)
        runSteps(opt, params, 0, 10, engine);
        const afterFirst = engine.memory();
        expect(afterFirst.numBytes).toBeGreaterThan(before.numBytes);
        runSteps(opt, params, 10, 60, engine);
        const after = engine.memory();
        expect(after.numTensors).toBe(afterFirst.numTensors);
        expect(after.numDataBuffers).toBe(afterFirst.numDataBuffers);
        expect(after.numBytes).toBe(afterFirst.numBytes);
        opt.dispose();
        params.forEach((p) => p.dispose());
        expect(engine.memory().numTensors).toBe(before.numTensors - params.length);
      });
    }
  }
});
