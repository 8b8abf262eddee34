import { Adam, adamDefaults, type AdamOptions } from './adam.js';
import type { ParamsInput } from './types.js';

/**
 * AdamW (`torch.optim.AdamW`, 1.13): Adam with decoupled weight decay — each step first does
 * `p *= 1 - lr·weightDecay` (default weightDecay 1e-2), then the Adam update without L2 in the
 * gradient. Same state as Adam; uses the fused `'adamStep'` kernel (`decoupledWeightDecay`).
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  /** @param params - tensors or param groups; @param options - hyperparameters (defaults: PyTorch's). */
  constructor(params: ParamsInput<AdamOptions>, options: AdamOptions = {}) {
    super(params, { ...adamDefaults(options ?? {}, 1e-2) });
  }
}
