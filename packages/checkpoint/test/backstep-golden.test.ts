/**
 * The back-step cases of ../shared/golden/e2e (PyTorch 1.13): train k steps, snapshot, take step
 * k, restore model AND optimizer and redo it (bit-identical), restore only the model or only the
 * optimizer and redo it (differs, as PyTorch's recorded numbers show).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Adam, SGD } from '@backstep/optim';
import type { DType, Tensor } from '@backstep/tensor';
import { History } from '../src/index.js';
import { compareTensor, loadGolden, RUN_DTYPES, type GoldenTensor, type Tol } from '../../../tools/testing/golden.js';
import { MatrixChain, sampleLoss } from './matrix-chain.js';

beforeAll(() => {
  registerCpuBackend();
  registerAutograd();
});

interface BackStepCase {
  name: string;
  d: number;
  nSamples: number;
  initialParams: Record<string, GoldenTensor>;
  optimizer: 'Adam' | 'SGD';
  options: Record<string, unknown>;
  stepsBeforeSnapshot: number;
  tolerance: Record<DType, Tol>;
  float32: Block;
  float64: Block;
}
interface Block {
  snapshot: { modelStateDict: Record<string, GoldenTensor> };
  stepLoss: number;
  stepGrads: Record<string, GoldenTensor>;
  paramsAfterStep: Record<string, GoldenTensor>;
  restoreBoth: { paramsAfterRedo: Record<string, GoldenTensor> };
  restoreModelOnly: { paramsAfterRedo: Record<string, GoldenTensor> };
  restoreOptimizerOnly: { paramsAfterRedo: Record<string, GoldenTensor> };
}

const NAMES = ['A', 'B', 'linear.weight'] as const;

function makeOptimizer(c: BackStepCase, model: MatrixChain): Adam | SGD {
  const params = [model.A, model.B, model.linear.weight];
  return c.optimizer === 'Adam' ? new Adam(params, c.options as never) : new SGD(params, c.options as never);
}

function bits(t: Tensor): number[] {
  const v = t.dataSync();
  return Array.from(new Uint32Array(v.buffer, v.byteOffset, v.byteLength / 4));
}

function paramTensors(model: MatrixChain): Record<string, Tensor> {
  return { A: model.A, B: model.B, 'linear.weight': model.linear.weight };
}

function check(actual: Record<string, Tensor | null>, expected: Record<string, GoldenTensor>, tol: Tol, label: string): string[] {
  return NAMES.map((n) => compareTensor(actual[n] ?? null, expected[n]!, tol, `${label} ${n}`)).filter((p): p is string => p !== null);
}

for (const file of ['e2e/backstep_adam.json', 'e2e/backstep_sgd_momentum.json']) {
  const c = loadGolden<BackStepCase>(file);
  describe(`golden ${c.name}`, () => {
    for (const dtype of RUN_DTYPES) {
      it(`[${dtype}] restore both → bit-identical redo; model-only / optimizer-only restores drift as in PyTorch`, () => {
        const tol = c.tolerance[dtype];
        const g = c[dtype];
        const model = new MatrixChain(c.initialParams, dtype);
        const opt = makeOptimizer(c, model);
        const k = c.stepsBeforeSnapshot;
        const step = (s: number): number => {
          opt.zeroGrad();
          const loss = sampleLoss(model, s % c.nSamples, c.d, dtype);
          loss.backward();
          opt.step();
          return loss.item();
        };
        for (let s = 0; s < k; s++) step(s);

        const both = new History({ model, optimizer: opt });
        const modelOnly = new History({ model });
        const optOnly = new History({ optimizer: opt });
        both.commit({ step: k });
        modelOnly.commit({ step: k });
        optOnly.commit({ step: k });
        expect(check(paramTensors(model), g.snapshot.modelStateDict, tol, 'snapshot')).toEqual([]);

        // first execution of step k
        const loss1 = step(k);
        const grads1 = NAMES.map((n) => bits(paramTensors(model)[n]!.grad!));
        const params1 = NAMES.map((n) => bits(paramTensors(model)[n]!));
        const state1 = JSON.stringify(opt.stateDict(), (_k, v) => (v && typeof v === 'object' && 'dataSync' in v ? bits(v as Tensor) : v));
        expect(Math.abs(loss1 - g.stepLoss)).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(g.stepLoss));
        expect(check(Object.fromEntries(NAMES.map((n) => [n, paramTensors(model)[n]!.grad])), g.stepGrads, tol, 'grads')).toEqual([]);
        expect(check(paramTensors(model), g.paramsAfterStep, tol, 'after step')).toEqual([]);

        // restore model AND optimizer, redo: bit-identical to the first execution
        both.backStep();
        const loss2 = step(k);
        expect(loss2).toBe(loss1);
        expect(NAMES.map((n) => bits(paramTensors(model)[n]!.grad!))).toEqual(grads1);
        expect(NAMES.map((n) => bits(paramTensors(model)[n]!))).toEqual(params1);
        expect(JSON.stringify(opt.stateDict(), (_k, v) => (v && typeof v === 'object' && 'dataSync' in v ? bits(v as Tensor) : v))).toBe(state1);
        expect(check(paramTensors(model), g.restoreBoth.paramsAfterRedo, tol, 'redo')).toEqual([]);

        // restore ONLY the model: the optimizer keeps its post-step state, so the redo differs
        modelOnly.backStep();
        step(k);
        expect(NAMES.map((n) => bits(paramTensors(model)[n]!))).not.toEqual(params1);
        expect(check(paramTensors(model), g.restoreModelOnly.paramsAfterRedo, tol, 'model-only redo')).toEqual([]);

        // then restore ONLY the optimizer (model left where that redo put it): differs as well
        optOnly.backStep();
        step(k);
        expect(NAMES.map((n) => bits(paramTensors(model)[n]!))).not.toEqual(params1);
        expect(check(paramTensors(model), g.restoreOptimizerOnly.paramsAfterRedo, tol, 'optimizer-only redo')).toEqual([]);
      });
    }
  });
}
