import { Tensor } from '@backstep/tensor';
import { runBackward } from './run-backward.js';

/** Options of {@link grad}. */
export interface GradOptions {
  /** Per output: the gradient w.r.t. it (the vector of the vector-Jacobian product); implicit 1 for one-element outputs. */
  gradOutputs?: Tensor | readonly (Tensor | null | undefined)[] | null;
  /** Keep the graph's saved tensors (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass, so the returned gradients can be differentiated again. */
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

/**
 * Computes and returns the gradients of `outputs` w.r.t. `inputs` (PyTorch's
 * `torch.autograd.grad`) without touching any `.grad`. The returned tensors belong to the
 * caller (dispose them, or call inside `tidy`).
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const ins = inputs instanceof Tensor ? [inputs] : [...inputs];
  if (outs.length === 0) throw new Error('grad: expected at least one output');
  if (ins.length === 0) throw new Error('grad: expected at least one input');
  const go = options.gradOutputs;
  const gradOutputs = go === undefined || go === null ? outs.map(() => null) : go instanceof Tensor ? [go] : [...go];
  if (gradOutputs.length !== outs.length) {
    throw new Error(`grad: got ${gradOutputs.length} gradOutputs for ${outs.length} outputs`);
  }
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const results = runBackward({ outputs: outs, gradOutputs, retainGraph, createGraph, inputs: ins });
  if (!options.allowUnused && results.some((r) => r === null)) {
    for (const r of results) r?.dispose();
    throw new Error(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.',
    );
  }
  return results;
}
