import type { Tensor } from '@backstep/tensor';
import { Module } from '../module.js';

/** Returns its input unchanged (PyTorch's `nn.Identity`); constructor arguments are ignored. */
export class Identity extends Module<[Tensor], Tensor> {
  /** Accepts and ignores any arguments, as PyTorch's `Identity(*args, **kwargs)`. */
  constructor(..._args: unknown[]) {
    super();
  }

  /** The input itself. */
  forward(input: Tensor): Tensor {
    return input;
  }
}
