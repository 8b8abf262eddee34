/**
 * Grad mode: whether ops record the autograd graph. The state is module-level (shared by every
 * engine that autograd is registered into), nestable, and restored when the wrapped function
 * throws.
 */

let gradEnabled = true;

/** Whether ops record gradients now (false inside {@link noGrad}). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Turns graph recording on or off globally (PyTorch's `torch.set_grad_enabled(flag)`). */
export function setGradEnabled(flag: boolean): void {
  gradEnabled = Boolean(flag);
}

function withGradMode<T>(flag: boolean, fn: () => T, name: string): T {
  if (typeof fn !== 'function') throw new TypeError(`${name}: expected a function`);
  const prev = gradEnabled;
  gradEnabled = flag;
  let result: T;
  try {
    result = fn();
  } finally {
    gradEnabled = prev;
  }
  if (result instanceof Promise) {
    throw new Error(
      `${name}: the function must be synchronous (it returned a Promise, whose later parts would run outside ${name}); ` +
        'use setGradEnabled(...) around async code instead',
    );
  }
  return result;
}

/**
 * Runs `fn` with graph recording disabled (PyTorch's `with torch.no_grad():`) and returns its
 * result. Ops inside produce tensors that do not require grad; in-place updates of leaves that
 * require grad (optimizer steps) are allowed. `fn` must be synchronous.
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn, 'noGrad');
}

/** Runs `fn` with graph recording enabled, also inside {@link noGrad} (PyTorch's `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn, 'enableGrad');
}
