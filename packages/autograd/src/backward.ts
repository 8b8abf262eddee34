import type { BackwardOptions, Tensor } from '@backstep/tensor';
import { GradFn } from './grad-fn.js';
import { runBackward } from './run-backward.js';

/**
 * Implements `tensor.backward(gradient, options)`: accumulates the gradient of `root` into the
 * `.grad` of every leaf that requires grad (and of non-leaves that called `retainGrad()`).
 * `retainGraph` defaults to `createGraph`, as in PyTorch.
 */
export function backward(root: Tensor, gradient?: Tensor | null, options: BackwardOptions = {}): void {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  runBackward({ outputs: [root], gradOutputs: [gradient], retainGraph, createGraph });
}

/**
 * Frees the saved tensors of every node of `t`'s graph, as a backward pass without
 * `retainGraph` would. Use it for a graph you will not backward through (for example outputs
 * computed with grad enabled but only evaluated), so its saved tensors do not stay alive.
 */
export function releaseGraph(t: Tensor): void {
  const seen = new Set<GradFn>();
  const stack: GradFn[] = t.gradFn instanceof GradFn ? [t.gradFn] : [];
  while (stack.length > 0) {
    const node = stack.pop() as GradFn;
    if (seen.has(node)) continue;
    seen.add(node);
    node.release();
    for (const e of node.nextEdges) if (e instanceof GradFn && !seen.has(e)) stack.push(e);
  }
}
