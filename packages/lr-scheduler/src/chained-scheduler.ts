import { checkChildren, CompositeScheduler } from './composite-scheduler.js';
import { ADVANCE } from './internal.js';
import type { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import { anyNumber, listOf } from './validate.js';

/**
 * Steps several chainable schedulers together (PyTorch's `ChainedScheduler`): each `step()`
 * steps every child in order, so their multiplicative effects compose. Nothing is reset at
 * construction: the children's own construction-time changes stay.
 *
 * @example
 * const sched = new ChainedScheduler([new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })]);
 */
export class ChainedScheduler extends CompositeScheduler {
  /** The child schedulers, stepped in this order. */
  readonly schedulers: LRScheduler[];

  /** @param schedulers - chainable schedulers on one optimizer (at least one) */
  constructor(schedulers: readonly LRScheduler[]) {
    const list = checkChildren('ChainedScheduler', schedulers);
    super(list[0]!.optimizer, 'ChainedScheduler');
    this.schedulers = list;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
    this.armOrderCheck();
  }

  /** @internal Steps every child in order. */
  override [ADVANCE](): void {
    for (const s of this.schedulers) s[ADVANCE]();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  protected override stateSpec(): StateSpec {
    return { lastLr: prop(this, 'lastLr', listOf(anyNumber, this.groupCount)) };
  }
}
