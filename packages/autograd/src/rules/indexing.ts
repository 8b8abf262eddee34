/** Gradient rules of the indexing kernels: gather, scatter, scatterAdd, indexSelect, indexAdd. */
import type { GradContext } from '../rule.js';
import { padTo, zerosOf, type RuleTable } from './helpers.js';

function axisOf(ctx: GradContext): number {
  return (ctx.attrs as { axis: number }).axis;
}

function inShape(ctx: GradContext, i: number): readonly number[] {
  return ctx.inputShapes[i] as readonly number[];
}

/** Gradient rules of the indexing kernels (the int32 index input never gets a gradient). */
export const INDEXING_RULES: RuleTable = {
  // out = x gathered at index: the gradient is scatter-added back
  gather: {
    name: 'GatherBackward',
    saveInputs: [1],
    backward: (g, ctx) => [
      g.engine.run('scatterAdd', [zerosOf(inShape(ctx, 0), g), ctx.saved(1), g], { axis: axisOf(ctx) }),
      null,
    ],
  },
  // out = x with src written at index: x's overwritten positions get 0, src gets the gathered gradient
  scatter: {
    name: 'ScatterBackward',
    saveInputs: [1],
    backward: (g, ctx) => {
      const index = ctx.saved(1);
      const axis = axisOf(ctx);
      return [
        ctx.needsInputGrad[0] ? g.engine.run('scatter', [g, index, zerosOf(index.shape, g)], { axis }) : null,
        null,
        ctx.needsInputGrad[2] ? padTo(g.engine.run('gather', [g, index], { axis }), inShape(ctx, 2)) : null,
      ];
    },
  },
  scatterAdd: {
    name: 'ScatterAddBackward',
    saveInputs: [1],
    backward: (g, ctx) => [
      g,
      null,
      ctx.needsInputGrad[2] ? padTo(g.engine.run('gather', [g, ctx.saved(1)], { axis: axisOf(ctx) }), inShape(ctx, 2)) : null,
    ],
  },
  indexSelect: {
    name: 'IndexSelectBackward',
    saveInputs: [1],
    backward: (g, ctx) => [
      g.engine.run('indexAdd', [zerosOf(inShape(ctx, 0), g), ctx.saved(1), g], { axis: axisOf(ctx) }),
      null,
    ],
  },
  indexAdd: {
    name: 'IndexAddBackward',
    saveInputs: [1],
    backward: (g, ctx) => [
      g,
      null,
      ctx.needsInputGrad[2] ? g.engine.run('indexSelect', [g, ctx.saved(1)], { axis: axisOf(ctx) }) : null,
    ],
  },
};
