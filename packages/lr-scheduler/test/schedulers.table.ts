/**
 * THE descriptor table of schedulers: it drives the golden matrix, the state-dict round trips
 * and the PyTorch-layout checks. Each entry builds a scheduler from a golden `scheduler` spec
 * (`{ type, ...camelCase constructor arguments }`, `null` = not given).
 */
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  type LRScheduler,
  type LrLambda,
  type SchedulableOptimizer,
} from '../src/index.js';

/** Any scheduler of the package. */
export type AnyScheduler = LRScheduler | ReduceLROnPlateau;

/** A golden scheduler spec. */
export interface SchedulerSpec {
  type: string;
  [arg: string]: unknown;
}

/** A golden lambda: `js` is an arrow function of the integer epoch. */
interface GoldenLambda {
  formula: string;
  js: string;
  python: string;
}

const toLambda = (l: GoldenLambda): LrLambda => new Function(`return ${l.js}`)() as LrLambda;

/** The spec's arguments as constructor options: `type` removed, `null` → not given. */
function args(spec: SchedulerSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (k !== 'type' && v !== null) out[k] = v;
  return out;
}

function lambdaArgs(spec: SchedulerSpec): Record<string, unknown> {
  const a = args(spec);
  const l = a['lrLambda'] as GoldenLambda | GoldenLambda[];
  a['lrLambda'] = Array.isArray(l) ? l.map(toLambda) : toLambda(l);
  return a;
}

type Build = (opt: SchedulableOptimizer, spec: SchedulerSpec) => AnyScheduler;

/** Type → builder. Nested schedulers are built in the listed order on the same optimizer, then the wrapper. */
export const SCHEDULERS: Record<string, Build> = {
  LambdaLR: (opt, s) => new LambdaLR(opt, lambdaArgs(s) as never),
  MultiplicativeLR: (opt, s) => new MultiplicativeLR(opt, lambdaArgs(s) as never),
  StepLR: (opt, s) => new StepLR(opt, args(s) as never),
  MultiStepLR: (opt, s) => new MultiStepLR(opt, args(s) as never),
  ConstantLR: (opt, s) => new ConstantLR(opt, args(s)),
  LinearLR: (opt, s) => new LinearLR(opt, args(s)),
  ExponentialLR: (opt, s) => new ExponentialLR(opt, args(s) as never),
  PolynomialLR: (opt, s) => new PolynomialLR(opt, args(s)),
  CosineAnnealingLR: (opt, s) => new CosineAnnealingLR(opt, args(s) as never),
  CosineAnnealingWarmRestarts: (opt, s) => new CosineAnnealingWarmRestarts(opt, args(s) as never),
  CyclicLR: (opt, s) => new CyclicLR(opt, args(s) as never),
  OneCycleLR: (opt, s) => new OneCycleLR(opt, args(s) as never),
  ReduceLROnPlateau: (opt, s) => new ReduceLROnPlateau(opt, args(s)),
  SequentialLR: (opt, s) => {
    const children = (s['schedulers'] as SchedulerSpec[]).map((c) => buildScheduler(opt, c) as LRScheduler);
    return new SequentialLR(opt, { ...args(s), schedulers: children } as never);
  },
  ChainedScheduler: (opt, s) => new ChainedScheduler((s['schedulers'] as SchedulerSpec[]).map((c) => buildScheduler(opt, c) as LRScheduler)),
};

/** Builds the scheduler of a golden spec (throws for a type missing from the table). */
export function buildScheduler(opt: SchedulableOptimizer, spec: SchedulerSpec): AnyScheduler {
  const build = SCHEDULERS[spec.type];
  if (build === undefined) throw new Error(`no descriptor for scheduler type '${spec.type}'`);
  return build(opt, spec);
}
