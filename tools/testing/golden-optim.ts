/**
 * The optimizer trajectories of the golden folder (`optim/`, except `lbfgs_*`): feed PyTorch's
 * gradients step by step, compare the parameters after every step and the final state dict
 * ({@link runTrajectory}). Shared by the CPU suite (packages/optim, fused and composed paths,
 * float32 and float64) and the WebGPU suite (packages/backend-webgpu, float32).
 */
import type { Optimizer, PyTorchStateDict } from '@backstep/optim';
import { tensor, type Engine, type Tensor } from '@backstep/tensor';
import { compareValues, flatData, type Tol } from './golden.js';
import { compareStateDict } from './golden-state-dict.js';

/** One run (float32 or float64) of an optimizer trajectory case. */
export interface TrajectoryRun {
  grads: unknown[][];
  params: unknown[][];
  losses: number[];
  stateDict: PyTorchStateDict;
}

/** An `optimizerTrajectory` golden case. */
export interface TrajectoryCase {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
  paramShapes: number[][];
  initialParams: unknown[];
  steps: number;
  tolerance: { float32: Tol; float64: Tol };
  float32: TrajectoryRun;
  float64: TrajectoryRun;
}

/** How a suite reads an optimizer's results on its backend (synchronously or asynchronously). */
export interface OptimizerReads {
  /** A tensor's values. */
  read(t: Tensor): ArrayLike<number> | Promise<ArrayLike<number>>;
  /** The optimizer's state dict in PyTorch's layout, tensors as `{ shape, data }`. */
  pytorchStateDict(opt: Optimizer<object>): PyTorchStateDict | Promise<PyTorchStateDict>;
}

/** How a suite runs a trajectory: where its tensors live, how it builds the optimizer and reads. */
export interface TrajectoryRunner extends OptimizerReads {
  /** The engine of the parameters and gradients. */
  engine: Engine;
  /** Their backend (default: the engine's current one). */
  backend?: string;
  /** Builds the optimizer over the case's groups (parameters in place of indices) with the case's options. */
  create(groups: Array<Record<string, unknown> & { params: Tensor[] }>, options: Record<string, unknown>): Optimizer<object>;
  /** One optimizer step (default `opt.step()`). */
  step?(opt: Optimizer<object>): void;
  /** Extra checks of the parameters after the run; returns problems. */
  checkParams?(params: Tensor[]): string[];
}

/**
 * Runs one trajectory case in `dtype`: every step feeds PyTorch's gradients and compares the
 * parameters (stopping at the first step with a mismatch); then the final state dict. Disposes
 * the optimizer and the parameters. Returns the mismatches (empty = pass).
 */
export async function runTrajectory(c: TrajectoryCase, dtype: 'float32' | 'float64', runner: TrajectoryRunner): Promise<string[]> {
  const run = c[dtype];
  const tol = c.tolerance[dtype];
  const { engine, backend } = runner;
  const mk = (data: unknown, i: number): Tensor => tensor(flatData(data), { shape: c.paramShapes[i]!, dtype, backend, engine });
  const params = c.initialParams.map((d, i) => mk(d, i).requiresGrad_());
  const groups = c.paramGroups.map((g) => ({ ...g, params: g.params.map((i) => params[i]!) }));
  const opt = runner.create(groups, c.options);
  const errors: string[] = [];
  for (let s = 0; s < c.steps && errors.length === 0; s++) {
    params.forEach((p, i) => {
      p.grad = mk(run.grads[s]![i], i);
    });
    if (runner.step !== undefined) runner.step(opt);
    else opt.step();
    for (const [i, p] of params.entries()) {
      const m = compareValues(Array.from(await runner.read(p)), flatData(run.params[s]![i]), tol, `step ${s} param ${i}`);
      if (m) errors.push(m);
    }
    opt.zeroGrad();
  }
  if (errors.length === 0) compareStateDict(await runner.pytorchStateDict(opt), run.stateDict, tol, errors);
  errors.push(...(runner.checkParams?.(params) ?? []));
  opt.dispose();
  for (const p of params) p.dispose();
  return errors;
}
