/**
 * @backstep/lr-scheduler — PyTorch 1.13's learning-rate schedulers in TypeScript. They drive any
 * optimizer through its `paramGroups` (see {@link SchedulableOptimizer}); the package imports no
 * optimizer code.
 */
export type {
  LoadStateDictOptions,
  LrLambda,
  PerGroup,
  SchedulableOptimizer,
  SchedulableParamGroup,
  SchedulerStateDict,
  StatefulScheduler,
} from './types.js';
export { setSchedulerWarn, STEP_ORDER_WARNING, type WarnFunction } from './warn.js';
export { LRScheduler } from './lr-scheduler.js';
export { prop, type FieldSpec, type StateSpec } from './state.js';
export type { Check } from './validate.js';
export { LambdaLR, type LambdaLROptions } from './lambda-lr.js';
export { MultiplicativeLR, type MultiplicativeLROptions } from './multiplicative-lr.js';
export { StepLR, type StepLROptions } from './step-lr.js';
export { MultiStepLR, type MultiStepLROptions } from './multi-step-lr.js';
export { ConstantLR, type ConstantLROptions } from './constant-lr.js';
export { LinearLR, type LinearLROptions } from './linear-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { PolynomialLR, type PolynomialLROptions } from './polynomial-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { CosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions } from './cosine-annealing-warm-restarts.js';
export { CyclicLR, type CyclicLROptions, type CyclicMode } from './cyclic-lr.js';
export { OneCycleLR, type OneCycleLROptions, type SchedulePhase } from './one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type Metric } from './reduce-lr-on-plateau.js';
export { SequentialLR, type SequentialLROptions } from './sequential-lr.js';
export { ChainedScheduler } from './chained-scheduler.js';
export { toPyTorchSchedulerStateDict, fromPyTorchSchedulerStateDict, type SchedulerLike } from './pytorch-format.js';
