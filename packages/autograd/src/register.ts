import { getEngine, type AutogradHooks, type Engine } from '@backstep/tensor';
import { backward } from './backward.js';
import { isGradEnabled } from './grad-mode.js';
import { recordOp } from './record.js';

/** The hooks `registerAutograd` installs (one shared object, so registering is idempotent). */
const hooks: AutogradHooks = {
  isGradEnabled,
  record: recordOp,
  backward: (root, gradient, options) => backward(root, gradient, options),
};
export const autogradHooks: AutogradHooks = Object.freeze(hooks);

/**
 * Installs autograd into `engine` (the default engine by default): from then on ops record the
 * graph while grad mode is on and `tensor.backward()` works. Idempotent; returns the hooks.
 */
export function registerAutograd(engine: Engine = getEngine()): AutogradHooks {
  engine.autograd = autogradHooks;
  return autogradHooks;
}
