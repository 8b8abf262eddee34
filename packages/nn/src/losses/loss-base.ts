import type { Tensor } from '@backstep/tensor';
import { checkReduction, type Reduction } from '../functional/reduction.js';
import { Module } from '../module.js';

/** Base of the loss modules: `forward(input, target)` and a `reduction` (default `'mean'`). */
export abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  /** `'none'`, `'mean'` or `'sum'`. */
  readonly reduction: Reduction;

  /** Validates and stores the reduction. */
  constructor(reduction: Reduction = 'mean') {
    super();
    this.reduction = checkReduction(reduction, this.constructor.name);
  }

  override extraRepr(): string {
    return this.reduction === 'mean' ? '' : `reduction='${this.reduction}'`;
  }
}

/** Base of the losses with an optional class/element `weight`, registered as a buffer (as PyTorch's `_WeightedLoss`). */
export abstract class WeightedLoss extends Loss {
  /** The weight buffer, or null. */
  declare weight: Tensor | null;

  /** Registers `weight` (possibly null) as a buffer. */
  constructor(weight: Tensor | null | undefined, reduction: Reduction = 'mean') {
    super(reduction);
    this.registerBuffer('weight', weight ?? null);
  }
}
