import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { checkArg, finite, optionsOf, positiveInt } from './validate.js';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Period of the decay, in epochs (a positive integer; required). */
  stepSize: number;
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Multiplies each group's lr by `gamma` every `stepSize` epochs (PyTorch's `StepLR`):
 * `lr = initialLr * gamma ** floor(epoch / stepSize)`.
 *
 * @example
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 */
export class StepLR extends LRScheduler {
  /** Period of the decay. */
  stepSize: number;
  /** Decay factor. */
  gamma: number;

  /** @param optimizer - the optimizer to drive; @param options - `stepSize`, `gamma`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    super(optimizer, 'StepLR');
    const o = optionsOf(this.type, options);
    this.stepSize = checkArg(this.type, 'stepSize', o.stepSize, positiveInt);
    this.gamma = checkArg(this.type, 'gamma', o.gamma ?? 0.1, finite);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return { ...super.stateSpec(incoming), stepSize: prop(this, 'stepSize', positiveInt), gamma: prop(this, 'gamma', finite) };
  }
}
