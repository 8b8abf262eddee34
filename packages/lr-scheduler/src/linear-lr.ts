import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { checkArg, inRange, optionsOf, positiveInt } from './validate.js';

/** Options of {@link LinearLR}. */
export interface LinearLROptions {
  /** The factor at epoch 0 (in (0, 1]; default 1/3). */
  startFactor?: number;
  /** The factor from epoch `totalIters` on (in [0, 1]; default 1). */
  endFactor?: number;
  /** Number of epochs of the linear change (a positive integer; default 5). */
  totalIters?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

const startRange = inRange(0, 1, true);
const endRange = inRange(0, 1);

/**
 * Changes each group's lr factor linearly from `startFactor` to `endFactor` over `totalIters`
 * epochs (PyTorch's `LinearLR`, chainable): a warm-up with `startFactor < endFactor`.
 *
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 */
export class LinearLR extends LRScheduler {
  /** The factor at epoch 0. */
  startFactor: number;
  /** The final factor. */
  endFactor: number;
  /** Number of epochs of the change. */
  totalIters: number;

  /** @param optimizer - the optimizer to drive; @param options - `startFactor`, `endFactor`, `totalIters`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    super(optimizer, 'LinearLR');
    const o = optionsOf(this.type, options, true);
    this.startFactor = checkArg(this.type, 'startFactor', o.startFactor ?? 1 / 3, startRange);
    this.endFactor = checkArg(this.type, 'endFactor', o.endFactor ?? 1.0, endRange);
    this.totalIters = checkArg(this.type, 'totalIters', o.totalIters ?? 5, positiveInt);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const d = this.endFactor - this.startFactor;
    return groups.map((g) => g.lr * (1 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }

  protected override getClosedFormLr(): number[] {
    const d = this.endFactor - this.startFactor;
    return this.baseLrs.map((base) => base * (this.startFactor + (d * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters));
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return {
      ...super.stateSpec(incoming),
      startFactor: prop(this, 'startFactor', startRange),
      endFactor: prop(this, 'endFactor', endRange),
      totalIters: prop(this, 'totalIters', positiveInt),
    };
  }
}
