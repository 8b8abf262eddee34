import { isFloat, type Tensor } from '@backstep/tensor';
import { GradFn } from './grad-fn.js';
import { trackNode } from './graph-registry.js';
import { getGradRule } from './rules/index.js';

/**
 * The engine's `record` hook: called after a kernel ran with an input that requires grad while
 * grad mode is on. Creates the graph node when the kernel has a gradient rule and its output is
 * floating-point; otherwise (argmax, comparisons, casts to int/bool, fill, ...) the output stays
 * a tensor that does not require grad.
 */
export function recordOp(kernelName: string, inputs: readonly Tensor[], attrs: Readonly<Record<string, unknown>>, outputs: readonly Tensor[]): void {
  const rule = getGradRule(kernelName);
  if (rule === undefined || outputs.length !== 1) return;
  const out = outputs[0] as Tensor;
  if (!isFloat(out.dtype)) return;
  if (!inputs.some((t) => t.requiresGrad)) return;
  const node = new GradFn(kernelName, rule, attrs, inputs, out);
  out.setGradFn(node);
  trackNode(node);
}
