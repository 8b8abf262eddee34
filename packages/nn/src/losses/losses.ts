import type { Tensor } from '@backstep/tensor';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from '../functional/binary-losses.js';
import { crossEntropy } from '../functional/cross-entropy.js';
import { nllLoss } from '../functional/nll-loss.js';
import type { Reduction } from '../functional/reduction.js';
import { huberLoss, l1Loss, mseLoss, smoothL1Loss } from '../functional/regression-losses.js';
import { Loss, WeightedLoss } from './loss-base.js';

/** Options every loss module takes. */
export interface LossOptions {
  /** Default `'mean'`. */
  reduction?: Reduction;
}

/** Mean squared error (PyTorch's `nn.MSELoss`); see `functional.mseLoss`. */
export class MSELoss extends Loss {
  /** Creates the loss. */
  constructor(options: LossOptions = {}) {
    super(options.reduction);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error (PyTorch's `nn.L1Loss`); see `functional.l1Loss`. */
export class L1Loss extends Loss {
  /** Creates the loss. */
  constructor(options: LossOptions = {}) {
    super(options.reduction);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Huber loss (PyTorch's `nn.HuberLoss`, `delta` default 1); see `functional.huberLoss`. */
export class HuberLoss extends Loss {
  /** The switch point between the quadratic and linear parts. */
  readonly delta: number;

  /** Creates the loss. */
  constructor(options: LossOptions & { delta?: number } = {}) {
    super(options.reduction);
    this.delta = options.delta ?? 1;
    if (!(this.delta > 0)) throw new RangeError(`HuberLoss: delta must be positive, got ${this.delta}`);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Smooth L1 loss (PyTorch's `nn.SmoothL1Loss`, `beta` default 1); see `functional.smoothL1Loss`. */
export class SmoothL1Loss extends Loss {
  /** The switch point between the quadratic and linear parts. */
  readonly beta: number;

  /** Creates the loss. */
  constructor(options: LossOptions & { beta?: number } = {}) {
    super(options.reduction);
    this.beta = options.beta ?? 1;
    if (!(this.beta >= 0)) throw new RangeError(`SmoothL1Loss: beta must be non-negative, got ${this.beta}`);
  }

  /** The loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Negative log-likelihood (PyTorch's `nn.NLLLoss`); see `functional.nllLoss`. */
export class NLLLoss extends WeightedLoss {
  /** Targets equal to this are ignored. */
  readonly ignoreIndex: number;

  /** Creates the loss (`ignoreIndex` default -100). */
  constructor(options: LossOptions & { weight?: Tensor | null; ignoreIndex?: number } = {}) {
    super(options.weight, options.reduction);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }

  /** The loss of log-probabilities `input` against int32 class indices `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Cross-entropy on logits (PyTorch's `nn.CrossEntropyLoss`); see `functional.crossEntropy`. */
export class CrossEntropyLoss extends WeightedLoss {
  /** Class-index targets equal to this are ignored. */
  readonly ignoreIndex: number;
  /** Label smoothing ε in [0, 1]. */
  readonly labelSmoothing: number;

  /** Creates the loss (`ignoreIndex` default -100, `labelSmoothing` default 0). */
  constructor(options: LossOptions & { weight?: Tensor | null; ignoreIndex?: number; labelSmoothing?: number } = {}) {
    super(options.weight, options.reduction);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new RangeError(`CrossEntropyLoss: labelSmoothing must be between 0.0 and 1.0, got ${this.labelSmoothing}`);
    }
  }

  /** The loss of logits `input` against class indices (int32) or class probabilities (float). */
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing,
    });
  }
}

/** Binary cross-entropy on probabilities (PyTorch's `nn.BCELoss`); see `functional.binaryCrossEntropy`. */
export class BCELoss extends WeightedLoss {
  /** Creates the loss. */
  constructor(options: LossOptions & { weight?: Tensor | null } = {}) {
    super(options.weight, options.reduction);
  }

  /** The loss of probabilities `input` against targets in [0, 1]. */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Sigmoid + binary cross-entropy (PyTorch's `nn.BCEWithLogitsLoss`); see `functional.binaryCrossEntropyWithLogits`. */
export class BCEWithLogitsLoss extends WeightedLoss {
  /** The positive-example weight buffer, or null. */
  declare posWeight: Tensor | null;

  /** Creates the loss; `weight` and `posWeight` are registered as buffers. */
  constructor(options: LossOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {}) {
    super(options.weight, options.reduction);
    this.registerBuffer('posWeight', options.posWeight ?? null);
  }

  /** The loss of logits `input` against targets in [0, 1]. */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
