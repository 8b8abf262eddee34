/**
 * Gradient rule of the batched `matmul` kernel: out = op(a) @ op(b), where op transposes the
 * last two dims when `transposeA` / `transposeB` is set. A size-1 batch operand that was
 * broadcast against a larger batch gets its gradient summed over the batch.
 */
import { batchMatmul, type Tensor } from '@backstep/tensor';
import type { GradContext } from '../rule.js';
import { saveFor, type RuleTable } from './helpers.js';

function reduceBatch(t: Tensor, batch: number): Tensor {
  if (batch === t.shape[0]) return t;
  return t.engine.run('sum', [t], { axes: [0], keepdim: true });
}

function matmulBackward(g: Tensor, ctx: GradContext): (Tensor | null)[] {
  const { transposeA, transposeB } = ctx.attrs as { transposeA: boolean; transposeB: boolean };
  const batchA = (ctx.inputShapes[0] as readonly number[])[0] as number;
  const batchB = (ctx.inputShapes[1] as readonly number[])[0] as number;
  let ga: Tensor | null = null;
  let gb: Tensor | null = null;
  if (ctx.needsInputGrad[0]) {
    const b = ctx.saved(1);
    // dA = g @ op(b)^T, stored transposed when a was
    ga = transposeA ? batchMatmul(b, g, transposeB, true) : batchMatmul(g, b, false, !transposeB);
    ga = reduceBatch(ga, batchA);
  }
  if (ctx.needsInputGrad[1]) {
    const a = ctx.saved(0);
    // dB = op(a)^T @ g, stored transposed when b was
    gb = transposeB ? batchMatmul(g, a, true, transposeA) : batchMatmul(a, g, !transposeA, false);
    gb = reduceBatch(gb, batchB);
  }
  return [ga, gb];
}

/** Gradient rule of the matmul kernel. */
export const MATMUL_RULES: RuleTable = {
  matmul: {
    name: (info) => ((info.inputShapes[0]?.[0] ?? 1) === 1 && (info.inputShapes[1]?.[0] ?? 1) === 1 ? 'MmBackward' : 'BmmBackward'),
    saveInputs: saveFor([[0, 1], [1, 0]]),
    backward: matmulBackward,
  },
};
