import type { Tensor } from '@backstep/tensor';

/**
 * What an optimizer updates (DESIGN.md contract 3): a tensor whose value the optimizer replaces
 * in place (identity stays stable, via `assignData`) and whose assignable `.grad` it reads.
 * A leaf tensor with `requiresGrad` qualifies, and so does an `nn.Parameter`.
 */
export type Param = Tensor;

/** A value held in an optimizer's per-parameter state: tensors, numbers, flags and lists of them. */
export type StateValue = Tensor | number | boolean | string | null | readonly StateValue[];

/** The state of one parameter, keyed by stable camelCase names (`step`, `expAvg`, ...). */
export type ParamState = Record<string, StateValue>;

/**
 * A parameter group as the optimizer holds it: every hyperparameter (defaults filled in) plus the
 * group's parameters. Schedulers change hyperparameters (e.g. `lr`) here directly.
 */
export type ParamGroup<H extends object = Record<string, unknown>> = H & {
  /** The parameters of this group, in order. */
  params: Param[];
  /** Extra keys (e.g. `initialLr`, set by a scheduler) are kept and saved with the group. */
  [extra: string]: unknown;
};

/** A parameter group as passed to a constructor or `addParamGroup`: params plus overrides. */
export type ParamGroupInput<O extends object = Record<string, unknown>> = Partial<O> & {
  /** The group's parameters (a single tensor is accepted here, as in PyTorch). */
  params: Iterable<Param> | Param;
  [extra: string]: unknown;
};

/** The `params` argument of an optimizer constructor: tensors, or param-group objects. */
export type ParamsInput<O extends object = Record<string, unknown>> = Iterable<Param> | Iterable<ParamGroupInput<O>>;

/** What a `step(closure)` closure returns: the loss, as a tensor or a number. */
export type ClosureResult = Tensor | number;

/** The optional closure of `step`: re-evaluates the model and returns the loss. */
export type Closure = () => ClosureResult;

/** A hook run before every `step()`. */
export type StepPreHook<T> = (optimizer: T) => void;

/** A hook run after every `step()`, with the closure's loss (undefined without a closure). */
export type StepPostHook<T> = (optimizer: T, loss: ClosureResult | undefined) => void;

/** The handle returned by hook registration. */
export interface RemovableHandle {
  /** Unregisters the hook (idempotent). */
  remove(): void;
}

/**
 * How one per-parameter state entry must look, used to validate `loadStateDict`:
 * - `'param'`: a tensor with the parameter's shape and dtype
 * - `'paramOrNull'`: the same, or null (SGD's `momentumBuffer` without momentum)
 * - `'scalar'`: a finite number (`step`, `muProduct`, ...)
 * - `'tensor'`: a tensor of the parameter's dtype, any shape
 * - `'any'`: not checked (subclasses validate it themselves)
 */
export type StateEntryKind = 'param' | 'paramOrNull' | 'scalar' | 'tensor' | 'any';

/** The state entries an optimizer keeps for parameters of one group, with their kinds. */
export type StateSchema = Record<string, StateEntryKind>;

/**
 * An optimizer state dict in Backstep's layout (DESIGN.md contract 4): versioned, camelCase,
 * parameters referred to by their index in group order. Tensors are deep copies.
 */
export interface OptimizerStateDict {
  /** Layout version (1). */
  version: 1;
  /** Per-parameter state, keyed by parameter index. Parameters without state are absent. */
  state: Record<number, ParamState>;
  /** Each group's hyperparameters (camelCase) plus `params`: the indices of its parameters. */
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /**
   * When true (the default), a state entry the optimizer does not know is an error; when false,
   * unknown entries are kept as they are. Shapes and dtypes are always checked.
   */
  strict?: boolean;
}
