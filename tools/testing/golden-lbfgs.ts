/**
 * The LBFGS trajectories of the golden folder (`optim/lbfgs_*.json`): the problems' objectives
 * ({@link lbfgsObjective}) and the check of one case in one dtype ({@link runLbfgsGolden}: every
 * outer step's returned loss and parameters, every closure evaluation, the final state dict).
 * Shared by the CPU suite (packages/optim, `step`) and the WebGPU suite (packages/backend-webgpu,
 * `stepAsync`).
 */
import { LBFGS, type LBFGSHyper, type PyTorchStateDict } from '@backstep/optim';
import { add, matmul, mean, mul, pow, select, sub, tensor, type DType, type Engine, type Tensor } from '@backstep/tensor';
import { compareValues, flatData, type GoldenTensor, type Tol } from './golden.js';
import type { OptimizerReads } from './golden-optim.js';
import { compareStateDict, compareStateValue } from './golden-state-dict.js';

/** The objective of an LBFGS case. */
export type LbfgsProblem = { name: 'rosenbrock'; a: number; b: number } | { name: 'leastSquares'; A: GoldenTensor; b: GoldenTensor };

/** One run (float32 or float64) of an LBFGS case. */
export interface LbfgsRun {
  stepLosses: number[];
  params: unknown[][];
  evaluations: Array<{ count: number; params: unknown[][]; losses: number[]; grads: unknown[][] }>;
  stateDict: PyTorchStateDict;
}

/** An `lbfgsTrajectory` golden case. */
export interface LbfgsCase {
  name: string;
  optimizer: string;
  options: LBFGSHyper;
  paramGroups: Array<{ params: number[] }>;
  problem: LbfgsProblem;
  paramShapes: number[][];
  initialParams: unknown[];
  outerSteps: number;
  tolerance: { float32: Tol; float64: Tol };
  float32: LbfgsRun;
  float64: LbfgsRun;
}

/** One closure evaluation: the parameters it saw, the loss and the gradient. */
export interface LbfgsEvaluation {
  params: number[];
  loss: number;
  grad: number[];
}

/**
 * The objective as a differentiable function of the parameter `x` (tensor ops; the problem's
 * constants as `dtype` tensors of `engine` on `backend`, default its current one).
 */
export function lbfgsObjective(problem: LbfgsProblem, engine: Engine, dtype: DType, backend?: string): (x: Tensor) => Tensor {
  if (problem.name === 'rosenbrock') {
    const { a, b } = problem;
    // f(x) = (a - x[0])^2 + b * (x[1] - x[0]^2)^2
    return (x) => {
      const x0 = select(x, 0, 0);
      const x1 = select(x, 0, 1);
      return add(pow(sub(a, x0), 2), mul(b, pow(sub(x1, pow(x0, 2)), 2)));
    };
  }
  const mk = (t: GoldenTensor): Tensor => tensor(flatData(t.data), { shape: t.shape, dtype, backend, engine });
  const A = mk(problem.A);
  const bv = mk(problem.b);
  // f(x) = mean((A @ x - b)^2)
  return (x) => mean(pow(sub(matmul(A, x), bv), 2));
}

/** How a suite runs an LBFGS case: where its tensors live, how it steps and reads. */
export interface LbfgsGoldenRunner extends OptimizerReads {
  /** The engine (with autograd) of the parameter. */
  engine: Engine;
  /** Its backend (default: the engine's current one). */
  backend?: string;
  /**
   * One outer step: `opt.step(closure)` or `await opt.stepAsync(closure)` with the user's closure
   * (zeroGrad, `f(x)`, backward, return the loss) that also appends each evaluation to `log`.
   * Returns the step's loss as a number.
   */
  step(opt: LBFGS, x: Tensor, f: (x: Tensor) => Tensor, log: LbfgsEvaluation[]): number | Promise<number>;
}

/** What {@link runLbfgsGolden} returns. */
export interface LbfgsGoldenResult {
  /** Mismatches (empty = pass). */
  errors: string[];
  /** Closure evaluations per outer step. */
  counts: number[];
  /** float32: the state entries that pass only through the float64-noise allowance. */
  allowanceUsed: string[];
  /** The final state dict in PyTorch's layout (absent when a step already failed). */
  stateDict?: PyTorchStateDict;
}

/**
 * Runs one LBFGS case in `dtype`: per outer step the returned loss, the parameters, the number of
 * closure evaluations and every evaluation's parameters / loss / gradient against PyTorch's
 * (stopping at the first step with a mismatch), then the final state dict. In float32 each state
 * element may also differ by 4 times the distance between PyTorch's own float32 and float64
 * values: PyTorch's float32 state can be rounding noise (e.g. `al` entries ~1e-11 in float64 and
 * ~1e-2 in float32, up to 800 times the file's float32 tolerance). Disposes the optimizer.
 */
export async function runLbfgsGolden(c: LbfgsCase, dtype: 'float32' | 'float64', runner: LbfgsGoldenRunner): Promise<LbfgsGoldenResult> {
  const run = c[dtype];
  const tol = c.tolerance[dtype];
  const { engine, backend } = runner;
  const x = tensor(flatData(c.initialParams[0]), { shape: c.paramShapes[0]!, dtype, backend, engine }).requiresGrad_();
  const f = lbfgsObjective(c.problem, engine, dtype, backend);
  const opt = new LBFGS([x], c.options);
  const errors: string[] = [];
  const counts: number[] = [];
  const push = (m: string | null): void => {
    if (m) errors.push(m);
  };
  for (let s = 0; s < c.outerSteps; s++) {
    const log: LbfgsEvaluation[] = [];
    const loss = await runner.step(opt, x, f, log);
    counts.push(log.length);
    push(compareValues([loss], [run.stepLosses[s]!], tol, `step ${s} returned loss`));
    push(compareValues(Array.from(await runner.read(x)), flatData(run.params[s]![0]), tol, `step ${s} params`));
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
  const sd = await runner.pytorchStateDict(opt);
  const noiseRef = dtype === 'float32' ? c.float64.stateDict : undefined;
  compareStateDict(sd, run.stateDict, tol, errors, noiseRef);
  // which entries pass only through the allowance (for reporting, not an error)
  const allowanceUsed: string[] = [];
  const mine = sd.state['0'];
  if (noiseRef !== undefined && mine !== undefined) {
    for (const [k, v] of Object.entries(run.stateDict.state['0'] ?? {})) {
      const strict: string[] = [];
      compareStateValue(mine[k], v, tol, `state.${k}`, strict);
      if (strict.length > 0) allowanceUsed.push(k);
    }
  }
  opt.dispose();
  return { errors, counts, allowanceUsed, stateDict: sd };
}
