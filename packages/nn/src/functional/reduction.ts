import { mean, sum, type Tensor } from '@backstep/tensor';

/** How a loss reduces its per-element values: keep them, average them, or add them. */
export type Reduction = 'none' | 'mean' | 'sum';

/** Throws unless `r` is a valid reduction. */
export function checkReduction(r: unknown, op: string): Reduction {
  if (r !== 'none' && r !== 'mean' && r !== 'sum') {
    throw new RangeError(`${op}: ${String(r)} is not a valid value for reduction (expected 'none', 'mean' or 'sum')`);
  }
  return r;
}

/** Applies `reduction` to per-element losses. */
export function applyReduction(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'mean' ? mean(loss) : sum(loss);
}
