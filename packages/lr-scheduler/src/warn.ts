/** The package's warning channel: `console.warn` by default, replaceable (e.g. to capture in tests). */

/** A function that receives warning messages. */
export type WarnFunction = (message: string) => void;

const consoleWarn: WarnFunction = (message) => console.warn(message);
let current: WarnFunction = consoleWarn;

/**
 * Replaces the function the schedulers warn through and returns the previous one; `null`
 * restores `console.warn`.
 *
 * @example
 * const messages: string[] = [];
 * const previous = setSchedulerWarn((m) => messages.push(m));
 * try { ... } finally { setSchedulerWarn(previous); }
 */
export function setSchedulerWarn(fn: WarnFunction | null): WarnFunction {
  const previous = current;
  current = fn ?? consoleWarn;
  return previous;
}

/** Emits a warning through the current warn function. */
export function warn(message: string): void {
  current(message);
}

/** The message of the call-order warning (PyTorch's wording). */
export const STEP_ORDER_WARNING =
  'Detected call of `lr_scheduler.step()` before `optimizer.step()`. You should call them in this order: ' +
  '`optimizer.step()` before `lr_scheduler.step()`. Failure to do this will result in skipping the first ' +
  'value of the learning rate schedule.';
