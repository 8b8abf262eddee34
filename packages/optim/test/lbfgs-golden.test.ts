/**
 * Every `lbfgsTrajectory` golden file (optim/lbfgs_*.json), float32 and float64: the closure
 * computes the problem's objective with tensor ops and its gradient with autograd; per outer step
 * the returned loss, the params, the number of closure evaluations and every evaluation's
 * params / loss / gradient are compared with PyTorch 1.13, then the final state dict (converted
 * to PyTorch's layout). Also: a resumed LBFGS (stateDict -> new optimizer -> loadStateDict)
 * continues bit-identically, and `stepAsync` gives the same results as `step`.
 */
import type { Tensor } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { fromPyTorchStateDict, LBFGS, toPyTorchStateDict, type PyTorchStateDict } from '../src/index.js';
import { flatData, goldenNames, loadGolden, type GoldenTensor } from '../../../tools/testing/golden.js';
import { lbfgsObjective, runLbfgsGolden, type LbfgsCase, type LbfgsEvaluation } from '../../../tools/testing/golden-lbfgs.js';
import { bits, mk, vals } from './helpers.js';
import { autogradEngine } from './lbfgs-problems.js';

/** The user's closure (zeroGrad, forward, backward, return the loss), recording every call. */
function recordingClosure(opt: LBFGS, x: Tensor, f: (x: Tensor) => Tensor, log: LbfgsEvaluation[]): () => Tensor {
  return () => {
    opt.zeroGrad();
    const loss = f(x);
    loss.backward();
    log.push({ params: vals(x), loss: loss.item(), grad: vals(x.grad) });
    return loss;
  };
}

function lossOf(v: Tensor | number): number {
  return typeof v === 'number' ? v : v.item();
}

/** Runs one case in one dtype on a fresh CPU engine with `step` and synchronous reads (tools/testing/golden-lbfgs.ts). */
function runCase(c: LbfgsCase, dtype: 'float32' | 'float64'): ReturnType<typeof runLbfgsGolden> {
  return runLbfgsGolden(c, dtype, {
    engine: autogradEngine(),
    step: (opt, x, f, log) => lossOf(opt.step(recordingClosure(opt, x, f, log))),
    read: vals,
    pytorchStateDict: (opt) => toPyTorchStateDict(opt.stateDict(), { tensors: 'json' }),
  });
}

const NAMES = goldenNames('optim').filter((n) => n.startsWith('lbfgs_'));

describe('LBFGS golden trajectories (PyTorch 1.13)', () => {
  it('there are five lbfgs golden files', () => {
    expect(NAMES).toEqual([
      'lbfgs_least_squares',
      'lbfgs_least_squares_small_history',
      'lbfgs_least_squares_strong_wolfe',
      'lbfgs_rosenbrock',
      'lbfgs_rosenbrock_strong_wolfe',
    ]);
  });

  for (const name of NAMES) {
    const c = loadGolden<LbfgsCase>(`optim/${name}.json`);
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${name} ${dtype}`, async () => {
        expect(c.optimizer).toBe('LBFGS');
        expect(c.paramGroups).toEqual([{ params: [0] }]);
        const { errors, counts, stateDict: sd } = await runCase(c, dtype);
        const golden = c[dtype].stateDict;
        if (sd?.state['0'] !== undefined) expect(Object.keys(sd.state)).toEqual(Object.keys(golden.state));
        if (sd !== undefined) expect(Object.keys(sd.param_groups[0]!).sort()).toEqual(Object.keys(golden.param_groups[0]!).sort());
        expect(errors, errors.join('\n')).toEqual([]);
        // the number of closure calls per outer step is PyTorch's, exactly
        expect(counts).toEqual(c[dtype].evaluations.map((e) => e.count));
      });
    }
  }

  for (const name of ['lbfgs_rosenbrock', 'lbfgs_rosenbrock_strong_wolfe']) {
    it(`${name} float32 reproduces PyTorch bit for bit (every evaluation, the returned losses, the state)`, () => {
      // Backstep's float32 Rosenbrock objective and gradient are bit-identical to PyTorch's, so
      // this pins LBFGS's own arithmetic: 0-d tensor vs Python float promotion, the fused
      // `add_(alpha=)`, `1.0 / tensor` as reciprocal-times, the float32 dot products.
      const c = loadGolden<LbfgsCase>(`optim/${name}.json`);
      const run = c.float32;
      const engine = autogradEngine();
      const x = mk(engine, c.initialParams[0], [2], 'float32', true);
      const f = lbfgsObjective(c.problem, engine, 'float32');
      const opt = new LBFGS([x], c.options);
      const f32 = (v: unknown): number[] => flatData(v).map(Math.fround);
      for (let s = 0; s < c.outerSteps; s++) {
        const log: LbfgsEvaluation[] = [];
        expect(lossOf(opt.step(recordingClosure(opt, x, f, log)))).toBe(Math.fround(run.stepLosses[s]!));
        expect(log.map((e) => e.params)).toEqual(run.evaluations[s]!.params.map((p) => f32(p[0])));
        expect(log.map((e) => e.loss)).toEqual(f32(run.evaluations[s]!.losses));
        expect(log.map((e) => e.grad)).toEqual(run.evaluations[s]!.grads.map((g) => f32(g[0])));
      }
      const st = toPyTorchStateDict(opt.stateDict(), { tensors: 'json' }).state['0']!;
      const gold = run.stateDict.state['0']!;
      for (const k of ['d', 'prev_flat_grad']) expect(flatData((st[k] as GoldenTensor).data), k).toEqual(f32((gold[k] as GoldenTensor).data));
      for (const k of ['old_dirs', 'old_stps']) {
        expect((st[k] as GoldenTensor[]).map((t) => flatData(t.data)), k).toEqual((gold[k] as GoldenTensor[]).map((t) => f32(t.data)));
      }
      expect(st['ro']).toEqual(f32(gold['ro']));
      expect(st['H_diag']).toBe(Math.fround(gold['H_diag'] as number));
    });
  }

  it('maxEval defaults to floor(maxIter * 5 / 4), as the golden options write it out', () => {
    const engine = autogradEngine();
    const x = mk(engine, [0, 0], [2], 'float64', true);
    for (const name of NAMES) {
      const o = loadGolden<LbfgsCase>(`optim/${name}.json`).options;
      const { maxEval, ...rest } = o;
      const opt = new LBFGS([x], rest);
      if (maxEval === Math.floor((o.maxIter * 5) / 4)) expect(opt.paramGroups[0]!.maxEval).toBe(maxEval);
    }
    expect(new LBFGS([x]).paramGroups[0]!.maxEval).toBe(25);
    expect(new LBFGS([x], { maxIter: 3 }).paramGroups[0]!.maxEval).toBe(3);
    expect(new LBFGS([x], { maxIter: 7 }).paramGroups[0]!.maxEval).toBe(8);
  });
});

describe('LBFGS resume and async', () => {
  for (const name of ['lbfgs_rosenbrock_strong_wolfe', 'lbfgs_least_squares_small_history', 'lbfgs_least_squares']) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${name} ${dtype}: a resumed LBFGS continues bit-identically (also via PyTorch's layout)`, () => {
        const c = loadGolden<LbfgsCase>(`optim/${name}.json`);
        const engine = autogradEngine();
        const f = lbfgsObjective(c.problem, engine, dtype);
        const steps = Math.max(2, c.outerSteps);
        const split = 1;
        // reference: uninterrupted
        const xa = mk(engine, c.initialParams[0], c.paramShapes[0]!, dtype, true);
        const a = new LBFGS([xa], c.options);
        const lossesA: number[] = [];
        for (let s = 0; s < steps; s++) lossesA.push(lossOf(a.step(recordingClosure(a, xa, f, []))));
        // interrupted after `split` steps: params + optimizer state into fresh objects
        const xb = mk(engine, c.initialParams[0], c.paramShapes[0]!, dtype, true);
        const b = new LBFGS([xb], c.options);
        const lossesB: number[] = [];
        for (let s = 0; s < split; s++) lossesB.push(lossOf(b.step(recordingClosure(b, xb, f, []))));
        const sd = b.stateDict();
        const pt = JSON.parse(JSON.stringify(toPyTorchStateDict(sd, { tensors: 'json' }))) as PyTorchStateDict;
        for (const [via, dict] of [
          ['stateDict', sd],
          ['PyTorch layout', fromPyTorchStateDict(pt, { dtype, engine })],
        ] as const) {
          const xc = mk(engine, vals(xb), c.paramShapes[0]!, dtype, true);
          const cOpt = new LBFGS([xc], c.options);
          cOpt.loadStateDict(dict);
          const lossesC = [...lossesB];
          for (let s = split; s < steps; s++) lossesC.push(lossOf(cOpt.step(recordingClosure(cOpt, xc, f, []))));
          expect(lossesC, via).toEqual(lossesA);
          expect(bits(xc), via).toEqual(bits(xa));
          const sa = toPyTorchStateDict(a.stateDict(), { tensors: 'json' });
          const sc = toPyTorchStateDict(cOpt.stateDict(), { tensors: 'json' });
          expect(sc, via).toEqual(sa);
        }
      });
    }
  }

  it('stepAsync (itemAsync reads, async closure) gives bit-identical results to step', async () => {
    const c = loadGolden<LbfgsCase>('optim/lbfgs_rosenbrock_strong_wolfe.json');
    const engine = autogradEngine();
    const f = lbfgsObjective(c.problem, engine, 'float32');
    const xa = mk(engine, c.initialParams[0], [2], 'float32', true);
    const xb = mk(engine, c.initialParams[0], [2], 'float32', true);
    const a = new LBFGS([xa], c.options);
    const b = new LBFGS([xb], c.options);
    for (let s = 0; s < c.outerSteps; s++) {
      const la = lossOf(a.step(recordingClosure(a, xa, f, [])));
      const sync = recordingClosure(b, xb, f, []);
      const lb = lossOf(await b.stepAsync(async () => sync()));
      expect(lb).toBe(la);
      expect(bits(xb)).toEqual(bits(xa));
    }
    expect(b.stepCount).toBe(c.outerSteps);
    expect(toPyTorchStateDict(b.stateDict(), { tensors: 'json' })).toEqual(toPyTorchStateDict(a.stateDict(), { tensors: 'json' }));
  });
});
