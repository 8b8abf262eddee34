import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { checkArg, finite, optionsOf, positiveInt } from './validate.js';

/** Options of {@link PolynomialLR}. */
export interface PolynomialLROptions {
  /** Number of epochs of the decay (a positive integer; default 5). */
  totalIters?: number;
  /** The power of the polynomial (default 1). */
  power?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Decays each group's lr polynomially to 0 over `totalIters` epochs (PyTorch's `PolynomialLR`):
 * `lr = initialLr * (1 - min(epoch, totalIters) / totalIters) ** power`.
 *
 * @example
 * const sched = new PolynomialLR(opt, { totalIters: 100, power: 2 });
 */
export class PolynomialLR extends LRScheduler {
  /** Number of epochs of the decay. */
  totalIters: number;
  /** The power of the polynomial. */
  power: number;

  /** @param optimizer - the optimizer to drive; @param options - `totalIters`, `power`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: PolynomialLROptions = {}) {
    super(optimizer, 'PolynomialLR');
    const o = optionsOf(this.type, options, true);
    this.totalIters = checkArg(this.type, 'totalIters', o.totalIters ?? 5, positiveInt);
    this.power = checkArg(this.type, 'power', o.power ?? 1.0, finite);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const t = this.totalIters;
    const decay = ((1.0 - this.lastEpoch / t) / (1.0 - (this.lastEpoch - 1) / t)) ** this.power;
    return groups.map((g) => g.lr * decay);
  }

  protected override getClosedFormLr(): number[] {
    const t = this.totalIters;
    return this.baseLrs.map((base) => base * (1.0 - Math.min(t, this.lastEpoch) / t) ** this.power);
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return { ...super.stateSpec(incoming), totalIters: prop(this, 'totalIters', positiveInt), power: prop(this, 'power', finite) };
  }
}
