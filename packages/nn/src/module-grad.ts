import type { Tensor } from '@backstep/tensor';
import type { Parameter } from './parameter.js';

/**
 * Clears the gradients of `params` (`Module.zeroGrad`). With `setToNone` `.grad` becomes null and
 * the old gradient tensors are disposed (each once, also when parameters share one); otherwise
 * gradients are zeroed in place, a gradient inside a graph (`createGraph`) being detached first,
 * as PyTorch does.
 */
export function zeroGrads(params: readonly Parameter[], setToNone: boolean): void {
  const old = new Set<Tensor>();
  for (const p of params) {
    const g = p.grad;
    if (g === null) continue;
    if (setToNone) {
      p.grad = null;
      old.add(g);
    } else if (g.gradFn !== null || g.requiresGrad) {
      // a gradient inside a graph (createGraph): detach it, as PyTorch does, then zero
      p.grad = g.detach().zero_();
    } else {
      g.zero_();
    }
  }
  for (const g of old) g.dispose();
}
