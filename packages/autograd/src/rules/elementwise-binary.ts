/**
 * Gradient rules of the broadcasting binary kernels. Each input's gradient is computed at the
 * broadcast shape and then summed back to the input's shape ({@link sumToShape}).
 */
import { add, div, eq, ge, gt, log, logicalAnd, lt, mul, neg, pow, sub, where, type Tensor } from '@backstep/tensor';
import type { GradContext, GradRule } from '../rule.js';
import { saveFor, sumToShape, type RuleTable } from './helpers.js';

function shapeOf(ctx: GradContext, i: number): readonly number[] {
  return ctx.inputShapes[i] as readonly number[];
}

/** Builds `[ga, gb]` from per-input gradient functions, skipping inputs whose grad is not needed. */
function both(ctx: GradContext, fa: () => Tensor, fb: () => Tensor): (Tensor | null)[] {
  return [
    ctx.needsInputGrad[0] ? sumToShape(fa(), shapeOf(ctx, 0)) : null,
    ctx.needsInputGrad[1] ? sumToShape(fb(), shapeOf(ctx, 1)) : null,
  ];
}

/** maximum/minimum: the gradient goes to the selected operand, split equally on ties (PyTorch). */
function extremumRule(name: string, isMax: boolean): GradRule {
  return {
    name,
    saveInputs: [0, 1],
    backward: (g, ctx) => {
      const a = ctx.saved(0);
      const b = ctx.saved(1);
      const shared = where(eq(a, b), div(g, 2), g);
      // a loses where it is the smaller (max) / larger (min) operand, and b the other way round
      const aLoses = isMax ? lt(a, b) : gt(a, b);
      const bLoses = isMax ? gt(a, b) : lt(a, b);
      return both(ctx, () => where(aLoses, 0, shared), () => where(bLoses, 0, shared));
    },
  };
}

/** Gradient rules of the binary kernels. */
export const BINARY_RULES: RuleTable = {
  add: { name: 'AddBackward', backward: (g, ctx) => both(ctx, () => g, () => g) },
  sub: { name: 'SubBackward', backward: (g, ctx) => both(ctx, () => g, () => neg(g)) },
  mul: {
    name: 'MulBackward',
    saveInputs: saveFor([[0, 1], [1, 0]]),
    backward: (g, ctx) => both(ctx, () => mul(g, ctx.saved(1)), () => mul(g, ctx.saved(0))),
  },
  div: {
    name: 'DivBackward',
    saveInputs: (info) => (info.needs[1] ? [0, 1] : [1]),
    backward: (g, ctx) => {
      const b = ctx.saved(1);
      return both(ctx, () => div(g, b), () => neg(div(mul(g, ctx.saved(0)), mul(b, b))));
    },
  },
  pow: {
    name: 'PowBackward',
    saveInputs: [0, 1],
    saveOutput: (info) => info.needs[1] === true,
    backward: (g, ctx) => {
      const a = ctx.saved(0);
      const b = ctx.saved(1);
      return both(
        ctx,
        // b·a^(b-1), masked to 0 where b == 0 (so 0^0 has gradient 0, as in PyTorch)
        () => mul(g, where(eq(b, 0), 0, mul(b, pow(a, sub(b, 1))))),
        // a^b·ln(a), masked to 0 where a == 0 and b >= 0
        () => mul(g, where(logicalAnd(eq(a, 0), ge(b, 0)), 0, mul(ctx.savedOutput(), log(a)))),
      );
    },
  },
  maximum: extremumRule('MaximumBackward', true),
  minimum: extremumRule('MinimumBackward', false),
  atan2: {
    name: 'Atan2Backward',
    saveInputs: [0, 1],
    backward: (g, ctx) => {
      const a = ctx.saved(0);
      const b = ctx.saved(1);
      const scale = div(g, add(mul(a, a), mul(b, b)));
      return both(ctx, () => mul(scale, b), () => mul(scale, neg(a)));
    },
  },
};
