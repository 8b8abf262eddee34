import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { checkArg, finite, optionsOf, positive } from './validate.js';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Half-period of the cosine, in epochs (positive; required). */
  tMax: number;
  /** Minimum lr (default 0). */
  etaMin?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Anneals each group's lr along a cosine from its initial lr to `etaMin` over `tMax` epochs
 * (PyTorch's `CosineAnnealingLR`, computed recursively from the current lr as PyTorch does).
 * Past `tMax` the lr keeps following the cosine and rises again.
 *
 * @example
 * const sched = new CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period in epochs. */
  tMax: number;
  /** Minimum lr. */
  etaMin: number;

  /** @param optimizer - the optimizer to drive; @param options - `tMax`, `etaMin`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    super(optimizer, 'CosineAnnealingLR');
    const o = optionsOf(this.type, options);
    this.tMax = checkArg(this.type, 'tMax', o.tMax, positive);
    this.etaMin = checkArg(this.type, 'etaMin', o.etaMin ?? 0, finite);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { tMax, etaMin, lastEpoch: e } = this;
    if (e === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / tMax))) / 2);
    }
    if ((e - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return groups.map(
      (g) => ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (g.lr - etaMin) + etaMin,
    );
  }

  protected override getClosedFormLr(): number[] {
    const { tMax, etaMin, lastEpoch: e } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / tMax))) / 2);
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return { ...super.stateSpec(incoming), tMax: prop(this, 'tMax', positive), etaMin: prop(this, 'etaMin', finite) };
  }
}
