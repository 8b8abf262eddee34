/**
 * Package-internal hooks (not exported from the package index): the wrapper schedulers
 * (`SequentialLR`, `ChainedScheduler`) drive their children through these without the
 * public `step()`'s call-order check, and validate all children before loading any.
 */

/** Advances the schedule one step (or to `epoch`, closed form) without the call-order check. */
export const ADVANCE: unique symbol = Symbol('lr-scheduler.advance');
/** Re-runs the constructor's initial step (PyTorch's `_initial_step`). */
export const INITIAL_STEP: unique symbol = Symbol('lr-scheduler.initialStep');
/** Validates a state dict and returns the function that installs it. */
export const PLAN_LOAD: unique symbol = Symbol('lr-scheduler.planLoad');
