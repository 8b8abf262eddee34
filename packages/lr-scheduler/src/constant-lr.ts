import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { checkArg, inRange, optionsOf, positiveInt } from './validate.js';

/** Options of {@link ConstantLR}. */
export interface ConstantLROptions {
  /** The factor applied until `totalIters` (in (0, 1]; default 1/3). */
  factor?: number;
  /** Number of epochs the factor applies (a positive integer; default 5). */
  totalIters?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

const factorRange = inRange(0, 1, true);

/**
 * Multiplies each group's lr by a constant `factor` until epoch `totalIters`, then restores it
 * (PyTorch's `ConstantLR`; chainable). PyTorch accepts `factor = 0` and then fails with a
 * division by zero at `totalIters`; here it is rejected up front.
 *
 * @example
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 */
export class ConstantLR extends LRScheduler {
  /** The factor applied until `totalIters`. */
  factor: number;
  /** Number of epochs the factor applies. */
  totalIters: number;

  /** @param optimizer - the optimizer to drive; @param options - `factor`, `totalIters`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: ConstantLROptions = {}) {
    super(optimizer, 'ConstantLR');
    const o = optionsOf(this.type, options, true);
    this.factor = checkArg(this.type, 'factor', o.factor ?? 1 / 3, factorRange);
    this.totalIters = checkArg(this.type, 'totalIters', o.totalIters ?? 5, positiveInt);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1.0 / this.factor));
  }

  protected override getClosedFormLr(): number[] {
    const past = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + past * (1 - this.factor)));
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return { ...super.stateSpec(incoming), factor: prop(this, 'factor', factorRange), totalIters: prop(this, 'totalIters', positiveInt) };
  }
}
