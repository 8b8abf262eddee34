/**
 * The structural view of an optimizer that the schedulers need. `@backstep/optim`'s optimizers
 * satisfy it, but so does any object with `paramGroups` and `stepCount`: this package imports no
 * optimizer code (DESIGN.md: lr-scheduler may import optim for types only).
 */

/** One param group as a scheduler sees it: a mutable bag of hyperparameters with an `lr`. */
export interface SchedulableParamGroup {
  /** The group's current learning rate (the schedulers write it). */
  lr: number;
  /** Other hyperparameters (`momentum`, `betas: [b1, b2]`, ...) and scheduler keys (`initialLr`). */
  [key: string]: unknown;
}

/** What a scheduler drives: an optimizer's param groups and its count of completed steps. */
export interface SchedulableOptimizer {
  /** The param groups, in order; schedulers change their hyperparameters in place. */
  readonly paramGroups: SchedulableParamGroup[];
  /** The number of completed `optimizer.step()` calls (used to warn about a wrong call order). */
  readonly stepCount: number;
  /** The optimizer's default hyperparameters, when it has them (informative). */
  readonly defaults?: object;
}

/**
 * A scheduler state dict (DESIGN.md contract 4): a versioned plain object keyed by stable
 * camelCase names. `type` is the scheduler class (`'StepLR'`, ...). Functions (lambdas, custom
 * scale functions) are never saved, as in PyTorch.
 */
export interface SchedulerStateDict {
  /** Layout version (1). */
  version: 1;
  /** The scheduler class the state belongs to. */
  type: string;
  /** The scheduler's fields (see README.md for each scheduler's layout). */
  [field: string]: unknown;
}

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** When true (the default) an unknown field is an error; when false it is ignored. */
  strict?: boolean;
}

/** The `Stateful` contract (DESIGN.md contract 4) as the schedulers implement it. */
export interface StatefulScheduler {
  /** A deep copy of the scheduler's state. */
  stateDict(): SchedulerStateDict;
  /** Validates `sd` completely, then restores it (a bad state dict changes nothing). */
  loadStateDict(sd: SchedulerStateDict, options?: LoadStateDictOptions): void;
}

/** A learning-rate multiplier of the integer epoch (`LambdaLR`, `MultiplicativeLR`). */
export type LrLambda = (epoch: number) => number;

/** A number, or one number per param group. */
export type PerGroup = number | readonly number[];
