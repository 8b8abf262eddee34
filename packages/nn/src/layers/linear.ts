import { linear, type Generator, type Tensor } from '@backstep/tensor';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { checkCount, createParameter, type FactoryOptions } from './create-parameter.js';
import { defaultWeightBiasInit } from './default-init.js';

/** Options of {@link Linear}. */
export interface LinearOptions extends FactoryOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial values (default: the default generator). */
  generator?: Generator;
}

/**
 * `y = x Wᵀ + b` (PyTorch's `nn.Linear`): input `[..., inFeatures]`, output `[..., outFeatures]`.
 * `weight` is `[outFeatures, inFeatures]`, `bias` `[outFeatures]` or null. Both start as
 * U(-1/√inFeatures, 1/√inFeatures) (PyTorch's kaiming_uniform_(a=√5) default).
 */
export class Linear extends Module<[Tensor], Tensor> {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** `[outFeatures, inFeatures]`. */
  weight: Parameter;
  /** `[outFeatures]`, or null without bias. */
  bias: Parameter | null;

  /** Creates the layer with freshly initialised parameters. */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = checkCount(inFeatures, 'inFeatures', 'Linear');
    this.outFeatures = checkCount(outFeatures, 'outFeatures', 'Linear');
    this.weight = createParameter([outFeatures, inFeatures], options);
    this.bias = null;
    if (options.bias ?? true) this.bias = createParameter([outFeatures], options);
    else this.registerParameter('bias', null);
    this.resetParameters(options.generator);
  }

  /** Re-draws the parameters with PyTorch's default initialisation. */
  resetParameters(generator?: Generator): void {
    defaultWeightBiasInit(this.weight, this.bias, generator);
  }

  /** `x Wᵀ + b`. */
  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
