/**
 * Every `lbfgsTrajectory` golden file (optim/lbfgs_*.json), float32 and float64: the closure
 * computes the problem's objective with tensor ops and its gradient with autograd; per outer step
 * the returned loss, the params, the number of closure evaluations and every evaluation's
 * params / loss / gradient are compared with PyTorch 1.13, then the final state dict (converted
 * to PyTorch's layout). Also: a resumed LBFGS (stateDict -> new optimizer -> loadStateDict)
 * continues bit-identically, and `stepAsync` gives the same results as `step`.
 */
import { registerAutograd } from '@backstep/autograd';
import { add, matmul, mean, mul, pow, select, sub, type DType, type Engine, type Tensor } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { fromPyTorchStateDict, LBFGS, toPyTorchStateDict, type PyTorchStateDict } from '../src/index.js';
import { bits, closeMsg, flat, goldenNames, loadGolden, makeEngine, mk, vals, type Tol } from './helpers.js';

interface JsonT {
  shape: number[];
  data: unknown;
}

type LbfgsProblem = { name: 'rosenbrock'; a: number; b: number } | { name: 'leastSquares'; A: JsonT; b: JsonT };

interface LbfgsRun {
  stepLosses: number[];
  params: unknown[][];
  evaluations: Array<{ count: number; params: unknown[][]; losses: number[]; grads: unknown[][] }>;
  stateDict: PyTorchStateDict;
}

interface LbfgsCase {
  name: string;
  optimizer: string;
  options: {
    lr: number;
    maxIter: number;
    maxEval: number;
    toleranceGrad: number;
    toleranceChange: number;
    historySize: number;
    lineSearchFn: 'strong_wolfe' | null;
  };
  paramGroups: Array<{ params: number[] }>;
  problem: LbfgsProblem;
  paramShapes: number[][];
  initialParams: unknown[];
  outerSteps: number;
  tolerance: { float32: Tol; float64: Tol };
  float32: LbfgsRun;
  float64: LbfgsRun;
}

/** A CPU engine with autograd installed. */
function autogradEngine(): Engine {
  const engine = makeEngine(false);
  registerAutograd(engine);
  return engine;
}

/** The objective as a differentiable function of the parameter `x`. */
function objective(problem: LbfgsProblem, engine: Engine, dtype: DType): (x: Tensor) => Tensor {
  if (problem.name === 'rosenbrock') {
    const { a, b } = problem;
    // f(x) = (a - x[0])^2 + b * (x[1] - x[0]^2)^2
    return (x) => {
      const x0 = select(x, 0, 0);
      const x1 = select(x, 0, 1);
      return add(pow(sub(a, x0), 2), mul(b, pow(sub(x1, pow(x0, 2)), 2)));
    };
  }
  const A = mk(engine, problem.A.data, problem.A.shape, dtype);
  const bv = mk(engine, problem.b.data, problem.b.shape, dtype);
  // f(x) = mean((A @ x - b)^2)
  return (x) => mean(pow(sub(matmul(A, x), bv), 2));
}

interface Evaluation {
  params: number[];
  loss: number;
  grad: number[];
}

/** The user's closure (zeroGrad, forward, backward, return the loss), recording every call. */
function recordingClosure(opt: LBFGS, x: Tensor, f: (x: Tensor) => Tensor, log: Evaluation[]): () => Tensor {
  return () => {
    opt.zeroGrad();
    const loss = f(x);
    loss.backward();
    log.push({ params: vals(x), loss: loss.item(), grad: vals(x.grad) });
    return loss;
  };
}

/**
 * Compares a state-dict value (PyTorch layout) with the golden one. `noiseRef` (float32 runs
 * only) is the same entry of the float64 run: each element may then also differ by 4 times the
 * distance between PyTorch's own float32 and float64 values (the golden files' own convention:
 * a float32 tolerance is 4 times PyTorch's float32 error; see the note on `al` below).
 */
function compareValue(actual: unknown, expected: unknown, noiseRef: unknown, tol: Tol, label: string, errors: string[]): void {
  if (expected === null) {
    if (actual !== null) errors.push(`${label}: expected null, got ${JSON.stringify(actual)}`);
  } else if (typeof expected === 'number') {
    if (typeof actual !== 'number') errors.push(`${label}: expected a number, got ${JSON.stringify(actual)}`);
    else {
      const noise = typeof noiseRef === 'number' ? 4 * Math.abs(expected - noiseRef) : 0;
      if (!(Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.abs(expected) + noise)) {
        errors.push(`${label}: ${actual} vs ${expected}${noise ? ` (float64: ${String(noiseRef)})` : ''}`);
      }
    }
  } else if (typeof expected === 'string' || typeof expected === 'boolean') {
    if (actual !== expected) errors.push(`${label}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      errors.push(`${label}: expected a list of ${expected.length}, got ${Array.isArray(actual) ? `a list of ${actual.length}` : JSON.stringify(actual)}`);
    } else {
      const ref = Array.isArray(noiseRef) && noiseRef.length === expected.length ? noiseRef : [];
      expected.forEach((e, i) => compareValue(actual[i], e, ref[i], tol, `${label}[${i}]`, errors));
    }
  } else {
    const e = expected as JsonT;
    const a = actual as JsonT | null;
    if (a === null || typeof a !== 'object' || !Array.isArray(a.shape)) errors.push(`${label}: expected a tensor, got ${JSON.stringify(actual)}`);
    else if (JSON.stringify(a.shape) !== JSON.stringify(e.shape)) errors.push(`${label}: shape [${a.shape}] != [${e.shape}]`);
    else {
      const av = flat(a.data);
      const ev = flat(e.data);
      const rv = noiseRef !== null && typeof noiseRef === 'object' && 'data' in noiseRef ? flat((noiseRef as JsonT).data) : [];
      ev.forEach((x, i) => compareValue(av[i], x, rv[i], tol, `${label}[${i}]`, errors));
    }
  }
}

function lossOf(v: Tensor | number): number {
  return typeof v === 'number' ? v : v.item();
}

/** Runs one case in one dtype; returns the mismatches (empty = pass) and the closure-call counts. */
function runCase(c: LbfgsCase, dtype: DType): { errors: string[]; counts: number[] } {
  const run = c[dtype as 'float32' | 'float64'];
  const tol = c.tolerance[dtype as 'float32' | 'float64'];
  const engine = autogradEngine();
  const x = mk(engine, c.initialParams[0], c.paramShapes[0]!, dtype, true);
  const f = objective(c.problem, engine, dtype);
  const opt = new LBFGS([x], c.options);
  const errors: string[] = [];
  const counts: number[] = [];
  for (let s = 0; s < c.outerSteps; s++) {
    const log: Evaluation[] = [];
    const ret = opt.step(recordingClosure(opt, x, f, log));
    counts.push(log.length);
    const m0 = closeMsg([lossOf(ret)], [run.stepLosses[s]!], tol, `step ${s} returned loss`);
    if (m0) errors.push(m0);
    const m1 = closeMsg(vals(x), flat(run.params[s]![0]), tol, `step ${s} params`);
    if (m1) errors.push(m1);
    const ev = run.evaluations[s]!;
    if (log.length !== ev.count) {
      errors.push(`step ${s}: ${log.length} closure evaluations, PyTorch made ${ev.count}`);
      return { errors, counts };
    }
    log.forEach((e, k) => {
      for (const m of [
        closeMsg(e.params, flat(ev.params[k]![0]), tol, `step ${s} eval ${k} params`),
        closeMsg([e.loss], [ev.losses[k]!], tol, `step ${s} eval ${k} loss`),
        closeMsg(e.grad, flat(ev.grads[k]![0]), tol, `step ${s} eval ${k} grad`),
      ]) {
        if (m) errors.push(m);
      }
    });
    if (errors.length) return { errors, counts };
  }
  const sd = toPyTorchStateDict(opt.stateDict(), { tensors: 'json' });
  const golden = run.stateDict;
  const mine = sd.state['0'];
  const expected = golden.state['0']!;
  if (mine === undefined) errors.push('no state for parameter 0');
  else {
    expect(Object.keys(sd.state)).toEqual(Object.keys(golden.state));
    if (JSON.stringify(Object.keys(mine).sort()) !== JSON.stringify(Object.keys(expected).sort())) {
      errors.push(`state keys ${Object.keys(mine).sort()} != ${Object.keys(expected).sort()}`);
    }
    // float32: PyTorch's own float32 state is far from its float64 state where the values are
    // rounding noise (e.g. `al` entries that are ~1e-11 in float64 and ~1e-2 in float32: up to
    // 800 times the file's float32 tolerance), so each element may also differ by 4 times that
    // distance; float64: the file's tolerance only.
    const ref = dtype === 'float32' ? c.float64.stateDict.state['0'] : undefined;
    for (const [k, v] of Object.entries(expected)) compareValue(mine[k], v, ref?.[k], tol, `state.${k}`, errors);
  }
  const g = golden.param_groups[0]!;
  for (const [k, v] of Object.entries(g)) compareValue(sd.param_groups[0]![k], v, undefined, { rtol: 0, atol: 0 }, `param_groups[0].${k}`, errors);
  expect(Object.keys(sd.param_groups[0]!).sort()).toEqual(Object.keys(g).sort());
  return { errors, counts };
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
      it(`${name} ${dtype}`, () => {
        expect(c.optimizer).toBe('LBFGS');
        expect(c.paramGroups).toEqual([{ params: [0] }]);
        const { errors, counts } = runCase(c, dtype);
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
      const f = objective(c.problem, engine, 'float32');
      const opt = new LBFGS([x], c.options);
      const f32 = (v: unknown): number[] => flat(v).map(Math.fround);
      for (let s = 0; s < c.outerSteps; s++) {
        const log: Evaluation[] = [];
        expect(lossOf(opt.step(recordingClosure(opt, x, f, log)))).toBe(Math.fround(run.stepLosses[s]!));
        expect(log.map((e) => e.params)).toEqual(run.evaluations[s]!.params.map((p) => f32(p[0])));
        expect(log.map((e) => e.loss)).toEqual(f32(run.evaluations[s]!.losses));
        expect(log.map((e) => e.grad)).toEqual(run.evaluations[s]!.grads.map((g) => f32(g[0])));
      }
      const st = toPyTorchStateDict(opt.stateDict(), { tensors: 'json' }).state['0']!;
      const gold = run.stateDict.state['0']!;
      for (const k of ['d', 'prev_flat_grad']) expect(flat((st[k] as JsonT).data), k).toEqual(f32((gold[k] as JsonT).data));
      for (const k of ['old_dirs', 'old_stps']) {
        expect((st[k] as JsonT[]).map((t) => flat(t.data)), k).toEqual((gold[k] as JsonT[]).map((t) => f32(t.data)));
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
        const f = objective(c.problem, engine, dtype);
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
    const f = objective(c.problem, engine, 'float32');
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
