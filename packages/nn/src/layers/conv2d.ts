import { conv2d, type Generator, type Size2, type Tensor } from '@backstep/tensor';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { checkCount, createParameter, type FactoryOptions } from './create-parameter.js';
import { defaultWeightBiasInit } from './default-init.js';

/** Options of {@link Conv2d}. */
export interface Conv2dOptions extends FactoryOptions {
  /** Default 1. */
  stride?: Size2;
  /** Zero padding on both sides, or `'valid'` (0) / `'same'` (stride 1); default 0. */
  padding?: Size2 | 'valid' | 'same';
  /** Default 1. */
  dilation?: Size2;
  /** Channel groups; must divide both channel counts. Default 1. */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Only `'zeros'` is supported. */
  paddingMode?: 'zeros';
  /** Generator for the initial values. */
  generator?: Generator;
}

function pair(v: Size2, name: string, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (p.some((x) => !Number.isInteger(x) || x < min)) throw new RangeError(`Conv2d: ${name} must be integers >= ${min}, got ${JSON.stringify(v)}`);
  return p;
}

/**
 * 2-D convolution (PyTorch's `nn.Conv2d`): input `[N, C_in, H, W]` (or unbatched `[C_in, H, W]`),
 * weight `[C_out, C_in / groups, kh, kw]`, bias `[C_out]`. Initialised like PyTorch:
 * U(-1/√fanIn, 1/√fanIn) with `fanIn = C_in / groups · kh · kw`.
 */
export class Conv2d extends Module<[Tensor], Tensor> {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** `[kh, kw]`. */
  readonly kernelSize: [number, number];
  /** `[sh, sw]`. */
  readonly stride: [number, number];
  /** `[ph, pw]`, `'valid'` or `'same'`. */
  readonly padding: [number, number] | 'valid' | 'same';
  /** `[dh, dw]`. */
  readonly dilation: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** `[C_out, C_in / groups, kh, kw]`. */
  weight: Parameter;
  /** `[C_out]`, or null without bias. */
  bias: Parameter | null;

  /** Creates the layer with freshly initialised parameters. */
  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: Conv2dOptions = {}) {
    super();
    this.inChannels = checkCount(inChannels, 'inChannels', 'Conv2d');
    this.outChannels = checkCount(outChannels, 'outChannels', 'Conv2d');
    this.groups = checkCount(options.groups ?? 1, 'groups', 'Conv2d', 1);
    if (inChannels % this.groups !== 0) throw new RangeError('Conv2d: inChannels must be divisible by groups');
    if (outChannels % this.groups !== 0) throw new RangeError('Conv2d: outChannels must be divisible by groups');
    if ((options.paddingMode ?? 'zeros') !== 'zeros') throw new RangeError(`Conv2d: paddingMode '${String(options.paddingMode)}' is not supported (only 'zeros')`);
    this.kernelSize = pair(kernelSize, 'kernelSize', 1);
    this.stride = pair(options.stride ?? 1, 'stride', 1);
    this.dilation = pair(options.dilation ?? 1, 'dilation', 1);
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : pair(padding, 'padding', 0);
    if (this.padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new RangeError("Conv2d: padding='same' is not supported for strided convolutions");
    }
    this.weight = createParameter([outChannels, inChannels / this.groups, ...this.kernelSize], options);
    this.bias = null;
    if (options.bias ?? true) this.bias = createParameter([outChannels], options);
    else this.registerParameter('bias', null);
    this.resetParameters(options.generator);
  }

  /** Re-draws the parameters with PyTorch's default initialisation. */
  resetParameters(generator?: Generator): void {
    defaultWeightBiasInit(this.weight, this.bias, generator);
  }

  /** The convolution of `input` with `weight`, plus `bias`. */
  forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}`, `${this.outChannels}`, `kernelSize=[${this.kernelSize.join(', ')}]`, `stride=[${this.stride.join(', ')}]`];
    if (this.padding !== 'valid' && (typeof this.padding === 'string' || this.padding.some((p) => p !== 0))) {
      parts.push(`padding=${typeof this.padding === 'string' ? this.padding : `[${this.padding.join(', ')}]`}`);
    }
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=[${this.dilation.join(', ')}]`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}
