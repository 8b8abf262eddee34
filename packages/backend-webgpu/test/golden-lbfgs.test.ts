/**
 * The five `lbfgs_*` golden trajectories (PyTorch 1.13, float32) on the WebGPU backend through
 * `await opt.stepAsync(closure)`: the closure computes the problem (Rosenbrock or least squares)
 * with tensor ops on webgpu and its gradient with autograd, and records every evaluation (params,
 * loss, gradient: read with `await`). Per outer step the returned loss, the params, the number of
 * closure evaluations and every evaluation are compared with PyTorch within the file's float32
 * tolerance; then the final state dict, read asynchronously (`toPyTorchStateDictAsync`).
 *
 * State allowance (the same documented rule as the CPU's LBFGS golden test,
 * packages/optim/test/lbfgs-golden.test.ts): in float32, PyTorch's own state entries can be
 * rounding noise (e.g. `al` entries ~1e-11 in float64 and ~1e-2 in float32), so each float32 state
 * element may also differ from PyTorch's float32 value by 4 times the distance between PyTorch's
 * float32 and float64 values. Everything else uses the file's tolerance.
 */
import { LBFGS, toPyTorchStateDictAsync, type PyTorchStateDict } from '@backstep/optim';
import { add, matmul, mean, mul, pow, select, sub, tensor, type Engine, type Tensor } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { compareValues, flatData, listGolden, loadGolden, type Tol } from '../../../tools/testing/golden.js';
import { webGpuEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
const engine = webGpuEngine(gpu);

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
  options: ConstructorParameters<typeof LBFGS>[1];
  paramGroups: Array<{ params: number[] }>;
  problem: LbfgsProblem;
  paramShapes: number[][];
  initialParams: unknown[];
  outerSteps: number;
  tolerance: { float32: Tol; float64: Tol };
  float32: LbfgsRun;
  float64: LbfgsRun;
}

const mk = (data: unknown, shape: number[], e: Engine): Tensor => tensor(flatData(data), { shape, dtype: 'float32', backend: 'webgpu', engine: e });

/** The objective as a differentiable function of the parameter `x` (tensor ops on webgpu). */
function objective(problem: LbfgsProblem): (x: Tensor) => Tensor {
  if (problem.name === 'rosenbrock') {
    const { a, b } = problem;
    // f(x) = (a - x[0])^2 + b * (x[1] - x[0]^2)^2
    return (x) => {
      const x0 = select(x, 0, 0);
      const x1 = select(x, 0, 1);
      return add(pow(sub(a, x0), 2), mul(b, pow(sub(x1, pow(x0, 2)), 2)));
    };
  }
  const A = mk(problem.A.data, problem.A.shape, engine);
  const bv = mk(problem.b.data, problem.b.shape, engine);
  // f(x) = mean((A @ x - b)^2)
  return (x) => mean(pow(sub(matmul(A, x), bv), 2));
}

/**
 * Compares a state-dict value with the golden one; `noiseRef` is the same entry of PyTorch's
 * float64 run (the allowance described at the top).
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
      const av = flatData(a.data);
      const rv = noiseRef !== null && typeof noiseRef === 'object' && 'data' in noiseRef ? flatData((noiseRef as JsonT).data) : [];
      flatData(e.data).forEach((x, i) => compareValue(av[i], x, rv[i], tol, `${label}[${i}]`, errors));
    }
  }
}

interface Evaluation {
  params: number[];
  loss: number;
  grad: number[];
}

async function runCase(c: LbfgsCase): Promise<{ errors: string[]; counts: number[]; allowanceUsed: string[] }> {
  const run = c.float32;
  const tol = c.tolerance.float32;
  const x = mk(c.initialParams[0], c.paramShapes[0]!, engine).requiresGrad_();
  const f = objective(c.problem);
  const opt = new LBFGS([x], c.options);
  const errors: string[] = [];
  const counts: number[] = [];
  const push = (m: string | null): void => {
    if (m) errors.push(m);
  };
  for (let s = 0; s < c.outerSteps; s++) {
    const log: Evaluation[] = [];
    // the user's closure: zeroGrad, forward, backward, return the loss (here also recording)
    const ret = await opt.stepAsync(async () => {
      opt.zeroGrad();
      const loss = f(x);
      loss.backward();
      const [p, l, g] = await Promise.all([x.data(), loss.data(), x.grad!.data()]);
      log.push({ params: Array.from(p), loss: l[0] as number, grad: Array.from(g) });
      return loss;
    });
    counts.push(log.length);
    push(compareValues([typeof ret === 'number' ? ret : await (ret as Tensor).itemAsync()], [run.stepLosses[s]!], tol, `step ${s} returned loss`));
    push(compareValues(Array.from(await x.data()), flatData(run.params[s]![0]), tol, `step ${s} params`));
    const ev = run.evaluations[s]!;
    if (log.length !== ev.count) {
      errors.push(`step ${s}: ${log.length} closure evaluations, PyTorch made ${ev.count}`);
      return { errors, counts, allowanceUsed: [] };
    }
    log.forEach((e, k) => {
      push(compareValues(e.params, flatData(ev.params[k]![0]), tol, `step ${s} eval ${k} params`));
      push(compareValues([e.loss], [ev.losses[k]!], tol, `step ${s} eval ${k} loss`));
      push(compareValues(e.grad, flatData(ev.grads[k]![0]), tol, `step ${s} eval ${k} grad`));
    });
    if (errors.length) return { errors, counts, allowanceUsed: [] };
  }
  const sd = await toPyTorchStateDictAsync(opt.stateDict());
  const mine = sd.state['0'];
  const expected = run.stateDict.state['0']!;
  const allowanceUsed: string[] = [];
  if (mine === undefined) errors.push('no state for parameter 0');
  else {
    const keys = (o: object): string => JSON.stringify(Object.keys(o).sort());
    if (keys(sd.state) !== keys(run.stateDict.state)) errors.push(`state ids ${keys(sd.state)} != ${keys(run.stateDict.state)}`);
    if (keys(mine) !== keys(expected)) errors.push(`state keys ${keys(mine)} != ${keys(expected)}`);
    const ref = c.float64.stateDict.state['0'];
    for (const [k, v] of Object.entries(expected)) {
      compareValue(mine[k], v, ref?.[k], tol, `state.${k}`, errors);
      // which entries pass only through the allowance (reported, not an error)
      const strict: string[] = [];
      compareValue(mine[k], v, undefined, tol, `state.${k}`, strict);
      if (strict.length > 0) allowanceUsed.push(k);
    }
  }
  const g = run.stateDict.param_groups[0]!;
  for (const [k, v] of Object.entries(g)) compareValue(sd.param_groups[0]![k], v, undefined, { rtol: 0, atol: 0 }, `param_groups[0].${k}`, errors);
  opt.dispose();
  return { errors, counts, allowanceUsed };
}

const files = listGolden('optim').filter((f) => f.includes('/lbfgs_'));

describeGpu(gpu)('LBFGS golden trajectories on webgpu (PyTorch 1.13, float32, stepAsync)', () => {
  it('there are five lbfgs golden files', () => {
    expect(files.length).toBe(5);
  });

  for (const file of files) {
    const c = loadGolden<LbfgsCase>(file);
    it(`${c.name} [float32]: every step, every closure evaluation, the final state dict`, async () => {
      expect(c.paramGroups).toEqual([{ params: [0] }]);
      const { errors, counts, allowanceUsed } = await runCase(c);
      expect(errors, errors.join('\n')).toEqual([]);
      // the number of closure calls per outer step is PyTorch's, exactly
      expect(counts).toEqual(c.float32.evaluations.map((e) => e.count));
      if (allowanceUsed.length > 0) console.info(`[${c.name}] float32 state entries within the noise allowance only: ${allowanceUsed.join(', ')}`);
    });
  }
});
