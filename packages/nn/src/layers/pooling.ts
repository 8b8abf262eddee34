import { avgPool2d, div, maxPool2d, mul, onesLike, type Size2, type Tensor } from '@backstep/tensor';
import { Module } from '../module.js';

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: Size2 | null;
  /** Implicit −∞ padding on both sides; default 0. */
  padding?: Size2;
  /** Default 1. */
  dilation?: Size2;
  /** Not supported yet (must be false). */
  ceilMode?: boolean;
}

/** 2-D max pooling over `[N, C, H, W]` (or `[C, H, W]`) inputs (PyTorch's `nn.MaxPool2d`). */
export class MaxPool2d extends Module<[Tensor], Tensor> {
  /** Window size. */
  readonly kernelSize: Size2;
  /** The pooling options. */
  readonly options: MaxPool2dOptions;

  /** Creates the layer (stride defaults to the kernel size). */
  constructor(kernelSize: Size2, options: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = { ...options };
  }

  /** The maximum of each window. */
  forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(o.stride ?? this.kernelSize)}, padding=${JSON.stringify(o.padding ?? 0)}, dilation=${JSON.stringify(o.dilation ?? 1)}, ceilMode=${o.ceilMode ?? false}`;
  }
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dOptions {
  /** Default: the kernel size. */
  stride?: Size2 | null;
  /** Implicit zero padding on both sides; default 0. */
  padding?: Size2;
  /** Not supported yet (must be false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the average (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead of the window size. */
  divisorOverride?: number | null;
}

/** 2-D average pooling (PyTorch's `nn.AvgPool2d`, including `countIncludePad` and `divisorOverride`). */
export class AvgPool2d extends Module<[Tensor], Tensor> {
  /** Window size. */
  readonly kernelSize: Size2;
  /** The pooling options. */
  readonly options: AvgPool2dOptions;

  /** Creates the layer (stride defaults to the kernel size). */
  constructor(kernelSize: Size2, options: AvgPool2dOptions = {}) {
    super();
    const d = options.divisorOverride;
    if (d !== undefined && d !== null && (!Number.isInteger(d) || d <= 0)) throw new RangeError(`AvgPool2d: divisorOverride must be a positive integer, got ${d}`);
    this.kernelSize = kernelSize;
    this.options = { ...options };
  }

  /** The average of each window. */
  forward(input: Tensor): Tensor {
    const { countIncludePad, divisorOverride, ...poolOpts } = this.options;
    const avg = avgPool2d(input, this.kernelSize, poolOpts);
    if (divisorOverride !== undefined && divisorOverride !== null) {
      const [kh, kw] = typeof this.kernelSize === 'number' ? [this.kernelSize, this.kernelSize] : this.kernelSize;
      return mul(avg, (kh * kw) / divisorOverride);
    }
    if (countIncludePad === false) return div(avg, avgPool2d(onesLike(input), this.kernelSize, poolOpts));
    return avg;
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(o.stride ?? this.kernelSize)}, padding=${JSON.stringify(o.padding ?? 0)}`;
  }
}
