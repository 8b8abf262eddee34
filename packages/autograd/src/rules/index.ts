/**
 * The gradient-rule table: one rule per differentiable primitive kernel, keyed by kernel name.
 * Kernels without a rule (argmax/argmin, comparisons, logical ops, isnan/isinf, fill) are not
 * differentiable: their outputs never require grad.
 */
import type { GradRule } from '../rule.js';
import { BINARY_RULES } from './elementwise-binary.js';
import { UNARY_RULES } from './elementwise-unary.js';
import { CONV_RULES } from './conv.js';
import { INDEXING_RULES } from './indexing.js';
import { MATMUL_RULES } from './matmul.js';
import { MISC_RULES } from './misc.js';
import { REDUCE_RULES } from './reduce.js';
import { SHAPE_RULES } from './shape.js';
import { SOFTMAX_RULES } from './softmax.js';

export { sumToShape } from './helpers.js';

const rules = new Map<string, GradRule>(
  Object.entries({
    ...UNARY_RULES,
    ...BINARY_RULES,
    ...MISC_RULES,
    ...REDUCE_RULES,
    ...SHAPE_RULES,
    ...INDEXING_RULES,
    ...MATMUL_RULES,
    ...SOFTMAX_RULES,
    ...CONV_RULES,
  }),
);

/** The gradient rule of a kernel, or undefined for non-differentiable kernels. */
export function getGradRule(kernelName: string): GradRule | undefined {
  return rules.get(kernelName);
}

/** Names of the kernels that have a gradient rule. */
export function differentiableKernels(): string[] {
  return [...rules.keys()];
}

/**
 * Adds or replaces the gradient rule of a kernel (e.g. a fused kernel a package registers).
 * Applies to ops recorded from then on.
 */
export function registerGradRule(kernelName: string, rule: GradRule): void {
  if (typeof rule?.backward !== 'function') throw new TypeError(`registerGradRule: the rule for '${kernelName}' needs a backward function`);
  rules.set(kernelName, rule);
}
