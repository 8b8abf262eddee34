import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { checkArg, finite, optionsOf, show, type Check } from './validate.js';

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions {
  /** Epoch indices, non-decreasing (a repeated milestone applies `gamma` once per occurrence; required). */
  milestones: readonly number[];
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/** A milestone counter: `{ "30": 1, "80": 2 }` (PyTorch's `Counter`). */
const counter: Check = {
  test: (v) =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.entries(v).every(([k, c]) => /^(0|[1-9][0-9]*)$/.test(k) && Number.isInteger(c) && (c as number) >= 1),
  desc: 'an object mapping each milestone (a non-negative integer) to its count (a positive integer)',
};

/**
 * Multiplies each group's lr by `gamma` when the epoch reaches a milestone (PyTorch's
 * `MultiStepLR`): `lr = initialLr * gamma ** (number of milestones <= epoch)`.
 *
 * @example
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  /** Milestone → number of occurrences. */
  milestones: Record<string, number>;
  /** Decay factor. */
  gamma: number;

  /** @param optimizer - the optimizer to drive; @param options - `milestones`, `gamma`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    super(optimizer, 'MultiStepLR');
    const o = optionsOf(this.type, options);
    const ms: unknown = o.milestones;
    if (!Array.isArray(ms) || !ms.every((m) => Number.isInteger(m) && m >= 0)) {
      throw new RangeError(`${this.type}: milestones must be a list of non-negative integers, got ${show(ms)}`);
    }
    for (let i = 1; i < ms.length; i++) {
      if (ms[i] < ms[i - 1]) throw new RangeError(`${this.type}: milestones must be increasing, got ${show(ms)}`);
    }
    this.milestones = {};
    for (const m of ms as number[]) this.milestones[String(m)] = (this.milestones[String(m)] ?? 0) + 1;
    this.gamma = checkArg(this.type, 'gamma', o.gamma ?? 0.1, finite);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const count = this.milestones[String(this.lastEpoch)];
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  protected override getClosedFormLr(): number[] {
    let passed = 0;
    for (const [m, c] of Object.entries(this.milestones)) if (Number(m) <= this.lastEpoch) passed += c;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return { ...super.stateSpec(incoming), milestones: prop(this, 'milestones', counter), gamma: prop(this, 'gamma', finite) };
  }
}
