/** Gradient rules of softmax and logSoftmax (both use the saved output). */
import { exp, mul, sub, sum } from '@backstep/tensor';
import type { GradContext } from '../rule.js';
import type { RuleTable } from './helpers.js';

function axisOf(ctx: GradContext): number {
  return (ctx.attrs as { axis: number }).axis;
}

/** Gradient rules of the softmax kernels. */
export const SOFTMAX_RULES: RuleTable = {
  // dx = y · (g - Σ g·y)
  softmax: {
    name: 'SoftmaxBackward',
    saveOutput: true,
    backward: (g, ctx) => {
      const y = ctx.savedOutput();
      return [mul(y, sub(g, sum(mul(g, y), axisOf(ctx), true)))];
    },
  },
  // dx = g - exp(y) · Σ g
  logSoftmax: {
    name: 'LogSoftmaxBackward',
    saveOutput: true,
    backward: (g, ctx) => [sub(g, mul(exp(ctx.savedOutput()), sum(g, axisOf(ctx), true)))],
  },
};
