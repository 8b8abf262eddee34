/** Gradient rules of the shape kernels: reshape, transpose, expand, slice, sliceScatter, concat. */
import type { Tensor } from '@backstep/tensor';
import type { GradContext } from '../rule.js';
import { sumToShape, zerosOf, type RuleTable } from './helpers.js';

interface Region {
  begin: readonly number[];
  end: readonly number[];
  step: readonly number[];
}

function region(ctx: GradContext): Region {
  const a = ctx.attrs as unknown as Region;
  return { begin: [...a.begin], end: [...a.end], step: [...a.step] };
}

function inShape(ctx: GradContext, i = 0): readonly number[] {
  return ctx.inputShapes[i] as readonly number[];
}

/** concat: each input gets its slice of the gradient along the axis. */
function concatBackward(g: Tensor, ctx: GradContext): (Tensor | null)[] {
  const axis = (ctx.attrs as { axis: number }).axis;
  let at = 0;
  return ctx.inputShapes.map((shape, i) => {
    const size = shape[axis] as number;
    const begin = g.shape.map(() => 0);
    const end = [...g.shape];
    begin[axis] = at;
    end[axis] = at + size;
    at += size;
    if (!ctx.needsInputGrad[i]) return null;
    return g.engine.run('slice', [g], { begin, end, step: g.shape.map(() => 1) });
  });
}

/** Gradient rules of the shape kernels. */
export const SHAPE_RULES: RuleTable = {
  reshape: { name: 'ViewBackward', backward: (g, ctx) => [g.engine.run('reshape', [g], { shape: [...inShape(ctx)] })] },
  transpose: {
    name: 'PermuteBackward',
    backward: (g, ctx) => {
      const perm = (ctx.attrs as { perm: readonly number[] }).perm;
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      return [g.engine.run('transpose', [g], { perm: inverse })];
    },
  },
  expand: { name: 'ExpandBackward', backward: (g, ctx) => [sumToShape(g, inShape(ctx))] },
  slice: {
    name: 'SliceBackward',
    backward: (g, ctx) => [g.engine.run('sliceScatter', [zerosOf(inShape(ctx), g), g], region(ctx))],
  },
  sliceScatter: {
    name: 'SliceScatterBackward',
    backward: (g, ctx) => [
      ctx.needsInputGrad[0] ? g.engine.run('sliceScatter', [g, zerosOf(inShape(ctx, 1), g)], region(ctx)) : null,
      ctx.needsInputGrad[1] ? g.engine.run('slice', [g], region(ctx)) : null,
    ],
  },
  concat: { name: 'CatBackward', backward: concatBackward },
};
