import type { Generator, Tensor } from '@backstep/tensor';
import { checkDropoutP, dropout } from '../functional/dropout.js';
import { Module } from '../module.js';

/**
 * Inverted dropout (PyTorch's `nn.Dropout`): in training mode zeroes each element with probability
 * `p` and scales the rest by `1 / (1 - p)`; in eval mode it is the identity.
 */
export class Dropout extends Module<[Tensor], Tensor> {
  /** Probability of zeroing an element. */
  readonly p: number;
  /** Generator for the masks (default: the default generator). */
  generator: Generator | undefined;

  /** Creates the layer; `p` must be in [0, 1]. */
  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    this.p = checkDropoutP(p);
    this.generator = options.generator;
  }

  /** Dropout in training mode, identity in eval mode. */
  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.generator === undefined ? {} : { generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
