import { gelu, leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh, type Tensor } from '@backstep/tensor';
import { Module } from '../module.js';

/** `max(x, 0)` (PyTorch's `nn.ReLU`). */
export class ReLU extends Module<[Tensor], Tensor> {
  /** Applies the activation. */
  forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** Hyperbolic tangent (PyTorch's `nn.Tanh`). */
export class Tanh extends Module<[Tensor], Tensor> {
  /** Applies the activation. */
  forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** Logistic sigmoid (PyTorch's `nn.Sigmoid`). */
export class Sigmoid extends Module<[Tensor], Tensor> {
  /** Applies the activation. */
  forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** GELU, exact (`x Φ(x)`) or with `approximate: 'tanh'` (PyTorch's `nn.GELU`). */
export class GELU extends Module<[Tensor], Tensor> {
  /** `'none'` (default) or `'tanh'`. */
  readonly approximate: 'none' | 'tanh';

  /** Creates the activation. */
  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    const a = options.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') throw new RangeError(`GELU: approximate must be 'none' or 'tanh', got ${String(a)}`);
    this.approximate = a;
  }

  /** Applies the activation. */
  forward(input: Tensor): Tensor {
    return gelu(input, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** `x` where positive, `negativeSlope · x` elsewhere (PyTorch's `nn.LeakyReLU`). */
export class LeakyReLU extends Module<[Tensor], Tensor> {
  /** Slope for negative inputs (default 0.01). */
  readonly negativeSlope: number;

  /** Creates the activation. */
  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = negativeSlope;
  }

  /** Applies the activation. */
  forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** PyTorch's legacy choice of softmax dim when none is given: 0 for 0-, 1- and 3-d inputs, else 1. */
function legacySoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

/** Softmax along `dim` (PyTorch's `nn.Softmax`; pass `dim` — without it PyTorch's legacy rule applies). */
export class Softmax extends Module<[Tensor], Tensor> {
  /** The dim that sums to 1, or null for the legacy rule. */
  readonly dim: number | null;

  /** Creates the layer. */
  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }

  /** Applies softmax. */
  forward(input: Tensor): Tensor {
    return softmax(input, this.dim ?? legacySoftmaxDim(input.ndim));
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim` (PyTorch's `nn.LogSoftmax`). */
export class LogSoftmax extends Module<[Tensor], Tensor> {
  /** The normalised dim, or null for the legacy rule. */
  readonly dim: number | null;

  /** Creates the layer. */
  constructor(dim: number | null = null) {
    super();
    this.dim = dim;
  }

  /** Applies log-softmax. */
  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim ?? legacySoftmaxDim(input.ndim));
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
