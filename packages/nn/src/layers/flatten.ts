import { flatten, unflatten, type Tensor } from '@backstep/tensor';
import { Module } from '../module.js';

/** Flattens dims `startDim..endDim` (default 1..-1, keeping the batch dim) (PyTorch's `nn.Flatten`). */
export class Flatten extends Module<[Tensor], Tensor> {
  /** First dim to flatten. */
  readonly startDim: number;
  /** Last dim to flatten. */
  readonly endDim: number;

  /** Creates the layer. */
  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }

  /** The flattened input. */
  forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Splits dim `dim` into `sizes` (PyTorch's `nn.Unflatten`). */
export class Unflatten extends Module<[Tensor], Tensor> {
  /** The dim to split. */
  readonly dim: number;
  /** Its new sizes (one may be -1). */
  readonly unflattenedSize: readonly number[];

  /** Creates the layer. */
  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }

  /** The reshaped input. */
  forward(input: Tensor): Tensor {
    return unflatten(input, this.dim, this.unflattenedSize);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=[${this.unflattenedSize.join(', ')}]`;
  }
}
