import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { checkArg, finite, optionsOf } from './validate.js';

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Multiplicative factor per epoch (required). */
  gamma: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Multiplies each group's lr by `gamma` every epoch (PyTorch's `ExponentialLR`):
 * `lr = initialLr * gamma ** epoch`.
 *
 * @example
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  /** Decay factor per epoch. */
  gamma: number;

  /** @param optimizer - the optimizer to drive; @param options - `gamma`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    super(optimizer, 'ExponentialLR');
    const o = optionsOf(this.type, options);
    this.gamma = checkArg(this.type, 'gamma', o.gamma, finite);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return { ...super.stateSpec(incoming), gamma: prop(this, 'gamma', finite) };
  }
}
