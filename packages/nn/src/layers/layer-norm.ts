import type { Tensor } from '@backstep/tensor';
import { layerNorm } from '../functional/layer-norm.js';
import { constant_ } from '../init/initializers.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { checkCount, createParameter, type FactoryOptions } from './create-parameter.js';

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-element `weight` (ones) and `bias` (zeros) (default true). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, also learn the bias (default true). */
  bias?: boolean;
}

/**
 * Layer normalisation over the trailing `normalizedShape` dims (PyTorch's `nn.LayerNorm`):
 * `(x - mean) / √(var + eps) · weight + bias` with the biased variance.
 */
export class LayerNorm extends Module<[Tensor], Tensor> {
  /** The normalised trailing shape. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Whether `weight`/`bias` are learnt. */
  readonly elementwiseAffine: boolean;
  /** Ones of `normalizedShape`, or null. */
  weight: Parameter | null;
  /** Zeros of `normalizedShape`, or null. */
  bias: Parameter | null;

  /** Creates the layer. */
  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0) throw new RangeError('LayerNorm: normalizedShape must have at least one dim');
    shape.forEach((s) => checkCount(s, 'normalizedShape', 'LayerNorm', 1));
    this.normalizedShape = shape;
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    this.weight = null;
    this.bias = null;
    if (this.elementwiseAffine) {
      this.weight = constant_(createParameter(shape, options), 1) as Parameter;
      if (options.bias ?? true) this.bias = createParameter(shape, options);
      else this.registerParameter('bias', null);
    } else {
      this.registerParameter('weight', null);
      this.registerParameter('bias', null);
    }
  }

  /** The normalised input. */
  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}
