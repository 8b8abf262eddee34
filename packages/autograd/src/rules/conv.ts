/** Gradient rules of im2col (unfold) and col2im (fold), which are adjoint to each other. */
import type { RuleTable } from './helpers.js';

type Pair = readonly [number, number];

/** Gradient rules of the convolution helper kernels. */
export const CONV_RULES: RuleTable = {
  // the adjoint of extracting patches is summing them back (padded taps are constants: no gradient)
  im2col: {
    name: 'Im2ColBackward',
    backward: (g, ctx) => {
      const a = ctx.attrs as { kernelSize: Pair; stride: Pair; padding: Pair; dilation: Pair };
      const shape = ctx.inputShapes[0] as readonly number[];
      const outputSize: Pair = [shape[2] as number, shape[3] as number];
      return [
        g.engine.run('col2im', [g], { outputSize, kernelSize: a.kernelSize, stride: a.stride, padding: a.padding, dilation: a.dilation }),
      ];
    },
  },
  // the adjoint of summing patches into an image is extracting them (zero padding)
  col2im: {
    name: 'Col2ImBackward',
    backward: (g, ctx) => {
      const a = ctx.attrs as { kernelSize: Pair; stride: Pair; padding: Pair; dilation: Pair };
      return [
        g.engine.run('im2col', [g], { kernelSize: a.kernelSize, stride: a.stride, padding: a.padding, dilation: a.dilation, padValue: 0 }),
      ];
    },
  },
};
