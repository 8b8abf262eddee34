/** Gradient rules of where, clamp, cast and copy. */
import { cast, ge, le, logicalAnd, where, type Tensor } from '@backstep/tensor';
import type { DType } from '@backstep/tensor';
import { sumToShape, type RuleTable } from './helpers.js';

/** Gradient rules of the miscellaneous kernels. */
export const MISC_RULES: RuleTable = {
  // inputs: cond (bool, no gradient), a, b
  where: {
    name: 'WhereBackward',
    saveInputs: [0],
    backward: (g, ctx) => {
      const cond = ctx.saved(0);
      return [
        null,
        ctx.needsInputGrad[1] ? sumToShape(where(cond, g, 0), ctx.inputShapes[1] as readonly number[]) : null,
        ctx.needsInputGrad[2] ? sumToShape(where(cond, 0, g), ctx.inputShapes[2] as readonly number[]) : null,
      ];
    },
  },
  // the gradient passes where min <= x <= max (bounds inclusive, as in PyTorch)
  clamp: {
    name: 'ClampBackward',
    saveInputs: [0],
    backward: (g, ctx) => {
      const x = ctx.saved(0);
      const { min, max } = ctx.attrs as { min: number | null; max: number | null };
      let inside: Tensor | null = min === null ? null : ge(x, min);
      if (max !== null) inside = inside === null ? le(x, max) : logicalAnd(inside, le(x, max));
      return [inside === null ? g : where(inside, g, 0)];
    },
  },
  // between float dtypes: the gradient is cast back to the input's dtype
  cast: { name: 'ToCopyBackward', backward: (g, ctx) => [cast(g, ctx.inputDTypes[0] as DType)] },
  copy: { name: 'CloneBackward', backward: (g) => [g] },
};
