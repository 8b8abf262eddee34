import { checkChildren, CompositeScheduler } from './composite-scheduler.js';
import { ADVANCE, INITIAL_STEP } from './internal.js';
import type { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { anyNumber, integer, listOf, optionsOf, positiveInt, show, type Check } from './validate.js';

/** Options of {@link SequentialLR}. */
export interface SequentialLROptions {
  /** The schedulers, in order, all on the same optimizer (at least one). */
  schedulers: readonly LRScheduler[];
  /** Strictly increasing positive epochs at which the next scheduler takes over (one fewer than the schedulers). */
  milestones: readonly number[];
  /** The index of the last epoch (default -1: start). */
  lastEpoch?: number;
}

/** Strictly increasing positive integers. */
function increasing(n: number): Check {
  return {
    test: (v) => listOf(positiveInt, n).test(v) && (v as number[]).every((m, i, a) => i === 0 || m > a[i - 1]!),
    desc: `a list of ${n} strictly increasing positive integers`,
  };
}

/**
 * Runs schedulers one after another (PyTorch's `SequentialLR`): `schedulers[i]` drives the lr
 * from `milestones[i - 1]` on. Construct the children first (each constructor already sets the
 * lr); this constructor resets every group's lr to its `initialLr`, undoes the children's
 * initial steps and re-runs the first one's. At each milestone the next scheduler is stepped
 * with `step(0)` (its closed form at epoch 0), as PyTorch does.
 *
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const cosine = new CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, cosine], milestones: [5] });
 */
export class SequentialLR extends CompositeScheduler {
  /** The child schedulers. */
  readonly schedulers: LRScheduler[];
  /** Epochs at which the next scheduler takes over. */
  milestones: number[];

  /** @param optimizer - the optimizer of all children; @param options - `schedulers`, `milestones`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: SequentialLROptions) {
    super(optimizer, 'SequentialLR');
    const t = this.type;
    const o = optionsOf(t, options);
    this.schedulers = checkChildren(t, o.schedulers, this.optimizer);
    const ms: unknown = o.milestones;
    if (!Array.isArray(ms) || ms.length !== this.schedulers.length - 1) {
      throw new RangeError(
        `${t}: expects one milestone fewer than schedulers, but got ${this.schedulers.length} schedulers and milestones ${show(ms)}`,
      );
    }
    if (!increasing(ms.length).test(ms)) throw new RangeError(`${t}: milestones must be strictly increasing positive integers, got ${show(ms)}`);
    this.milestones = [...(ms as number[])];
    const lastEpoch = this.checkLastEpoch(o.lastEpoch);
    this.optimizer.paramGroups.forEach((g, i) => {
      if (typeof g['initialLr'] !== 'number') throw new Error(`${t}: paramGroups[${i}] has no 'initialLr' (construct the child schedulers first)`);
    });
    this.lastEpoch = lastEpoch + 1;
    for (const g of this.optimizer.paramGroups) g.lr = g['initialLr'] as number;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]![INITIAL_STEP]();
    this.lastLr = this.schedulers[0]!.getLastLr();
    this.armOrderCheck();
  }

  /** @internal Advances the active child (at a milestone: the next child's `step(0)`). */
  override [ADVANCE](): void {
    const e = this.lastEpoch + 1;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= e) idx++;
    const child = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === e) child[ADVANCE](0);
    else child[ADVANCE]();
    this.lastEpoch = e;
    this.lastLr = child.getLastLr();
  }

  protected override stateSpec(): StateSpec {
    return {
      milestones: prop(this, 'milestones', increasing(this.schedulers.length - 1)),
      lastEpoch: prop(this, 'lastEpoch', integer),
      lastLr: prop(this, 'lastLr', listOf(anyNumber, this.groupCount)),
    };
  }
}

