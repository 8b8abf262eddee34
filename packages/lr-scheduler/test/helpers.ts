/** Test helpers: golden scheduler cases, optimizers over zero params, running a schedule. */
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Adam, SGD } from '@backstep/optim';
import { Engine, zeros } from '@backstep/tensor';
import { listGolden, loadGolden, type Tol } from '../../../tools/testing/golden.js';
import { ReduceLROnPlateau } from '../src/index.js';
import { buildScheduler, type AnyScheduler, type SchedulerSpec } from './schedulers.table.js';

/** The `optimizer` field of a scheduler case. */
export interface OptimizerSpec {
  type: 'SGD' | 'Adam';
  options: Record<string, unknown>;
  paramGroups: Array<{ params: number[]; [override: string]: unknown }>;
  paramShapes: number[][];
}

/** One `lrScheduler` golden case. */
export interface SchedCase {
  name: string;
  kind: 'lrScheduler';
  description: string;
  tolerance: { float64: Tol };
  optimizer: OptimizerSpec;
  scheduler: SchedulerSpec;
  steps: number;
  metrics?: number[];
  finalStateDict: Record<string, unknown>;
  float64: { lr: number[][]; momentum?: number[][]; beta1?: number[][] };
}

/** Every scheduler case file (paths relative to the golden folder). */
export const SCHED_FILES = listGolden('sched');

/** Loads one scheduler case. */
export function loadCase(file: string): SchedCase {
  return loadGolden<SchedCase>(file);
}

const engine = new Engine();
registerCpuBackend(engine);

/** The optimizers the cases use (their types must satisfy the scheduler's structural interface). */
export type RealOptimizer = SGD | Adam;

/** The real optimizer of a case (SGD or Adam) over float64 zero tensors of `paramShapes`. */
export function makeOptimizer(spec: OptimizerSpec): RealOptimizer {
  const params = spec.paramShapes.map((shape) => zeros(shape, { engine, dtype: 'float64', requiresGrad: true }));
  const groups = spec.paramGroups.map(({ params: idx, ...overrides }) => ({ params: idx.map((i) => params[i]!), ...overrides }));
  if (spec.type === 'SGD') return new SGD(groups as never, spec.options as never);
  if (spec.type === 'Adam') return new Adam(groups as never, spec.options as never);
  throw new Error(`unknown optimizer type ${String(spec.type)}`);
}

/** What one step of a schedule looks like: lr, momentum and betas[0] per group. */
export interface Snapshot {
  lr: number[];
  momentum: Array<number | undefined>;
  beta1: Array<number | undefined>;
}

/** Reads lr / momentum / betas[0] of every group. */
export function snapshot(opt: RealOptimizer): Snapshot {
  const groups = opt.paramGroups as unknown as Array<Record<string, unknown>>;
  return {
    lr: groups.map((g) => g['lr'] as number),
    momentum: groups.map((g) => g['momentum'] as number | undefined),
    beta1: groups.map((g) => (g['betas'] as number[] | undefined)?.[0]),
  };
}

/** A fresh optimizer and scheduler of a case. */
export function setup(c: SchedCase): { opt: RealOptimizer; sched: AnyScheduler } {
  const opt = makeOptimizer(c.optimizer);
  return { opt, sched: buildScheduler(opt, c.scheduler) };
}

/** One iteration of the case's loop: `optimizer.step(); scheduler.step()` (with the metric for ReduceLROnPlateau). */
export function stepOnce(c: SchedCase, opt: RealOptimizer, sched: AnyScheduler, k: number): void {
  opt.step();
  if (sched instanceof ReduceLROnPlateau) sched.step(c.metrics![k]!);
  else sched.step();
}

/** Runs steps `from..to-1` and returns the snapshots after each. */
export function run(c: SchedCase, opt: RealOptimizer, sched: AnyScheduler, from: number, to: number): Snapshot[] {
  const out: Snapshot[] = [];
  for (let k = from; k < to; k++) {
    stepOnce(c, opt, sched, k);
    out.push(snapshot(opt));
  }
  return out;
}
