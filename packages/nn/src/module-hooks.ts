import type { Module } from './module.js';

/** What `registerForwardHook` and friends return: `remove()` unregisters the hook. */
export interface RemovableHandle {
  /** Unregisters the hook (idempotent). */
  remove(): void;
}

/** Runs after `forward` inside `Module.call`; returning a value replaces the output. */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => unknown;
/** Runs before `forward` inside `Module.call`; returning an array (or one value) replaces the inputs. */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown;

/** Appends `hook` to `list`; the handle removes it again. */
export function addHook<H>(list: H[], hook: H): RemovableHandle {
  if (typeof hook !== 'function') throw new TypeError('hook must be a function');
  list.push(hook);
  return {
    remove() {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    },
  };
}

/** PyTorch's `module(*inputs)`: pre-hooks (may replace the inputs), `forward`, hooks (may replace the output). */
export function runWithHooks(module: Module, inputs: unknown[], pre: readonly ForwardPreHook[], post: readonly ForwardHook[], forward: (...args: unknown[]) => unknown): unknown {
  let args = inputs;
  for (const hook of [...pre]) {
    const r = hook(module, args);
    if (r !== undefined) args = Array.isArray(r) ? r : [r];
  }
  let out = forward(...args);
  for (const hook of [...post]) {
    const r = hook(module, args, out);
    if (r !== undefined) out = r;
  }
  return out;
}
