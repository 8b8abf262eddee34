/** Gradient rules of the reductions: sum, prod, max, min (over `axes`, with or without `keepdim`). */
import { cast, div, eq, expand, mul, sum, where, type Tensor } from '@backstep/tensor';
import type { GradContext, GradRule } from '../rule.js';
import { keepDims, type RuleTable } from './helpers.js';

interface ReduceAttrs {
  axes: readonly number[];
  keepdim: boolean;
}

function reduceAttrs(ctx: GradContext): ReduceAttrs {
  return ctx.attrs as unknown as ReduceAttrs;
}

function inShape(ctx: GradContext): readonly number[] {
  return ctx.inputShapes[0] as readonly number[];
}

/** max/min: the gradient is split evenly among the elements equal to the result (PyTorch's amax/amin). */
function extremumRule(name: string): GradRule {
  return {
    name,
    saveInputs: [0],
    saveOutput: true,
    backward: (g, ctx) => {
      const { axes, keepdim } = reduceAttrs(ctx);
      const x = ctx.saved(0);
      const shape = inShape(ctx);
      const mask = eq(x, keepDims(ctx.savedOutput(), shape, axes, keepdim));
      const count = sum(cast(mask, x.dtype), axes, true);
      return [where(mask, div(keepDims(g, shape, axes, keepdim), count), 0)];
    },
  };
}

/**
 * prod: d/dx_i = the product of the other elements of its group, computed without dividing by
 * zero: with no zero in the group it is prod/x_i; with exactly one zero, only the zero gets the
 * product of the non-zeros; with two or more zeros every gradient is 0.
 */
function prodBackward(g: Tensor, ctx: GradContext): Tensor[] {
  const { axes, keepdim } = reduceAttrs(ctx);
  const x = ctx.saved(0);
  const isZero = eq(x, 0);
  const nonZero = where(isZero, 1, x);
  const prodNonZero = x.engine.run('prod', [nonZero], { axes: [...axes], keepdim: true });
  const zeroCount = sum(cast(isZero, x.dtype), axes, true);
  const others = where(
    eq(zeroCount, 0),
    div(prodNonZero, nonZero),
    where(eq(zeroCount, 1), where(isZero, prodNonZero, 0), 0),
  );
  return [mul(keepDims(g, inShape(ctx), axes, keepdim), others)];
}

/** Gradient rules of the reduction kernels. */
export const REDUCE_RULES: RuleTable = {
  sum: {
    name: 'SumBackward',
    backward: (g, ctx) => {
      const { axes, keepdim } = reduceAttrs(ctx);
      return [expand(keepDims(g, inShape(ctx), axes, keepdim), inShape(ctx))];
    },
  },
  prod: { name: 'ProdBackward', saveInputs: [0], backward: prodBackward },
  max: extremumRule('AmaxBackward'),
  min: extremumRule('AminBackward'),
};
