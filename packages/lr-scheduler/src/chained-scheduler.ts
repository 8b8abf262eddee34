import { ADVANCE, PLAN_LOAD } from './internal.js';
import { LRScheduler } from './lr-scheduler.js';
import { checkChildren, planWithChildren } from './sequential-lr.js';
import { prop, type StateSpec } from './state.js';
import type { LoadStateDictOptions, SchedulerStateDict } from './types.js';
import { anyNumber, listOf } from './validate.js';

/**
 * Steps several chainable schedulers together (PyTorch's `ChainedScheduler`): each `step()`
 * steps every child in order, so their multiplicative effects compose. Nothing is reset at
 * construction: the children's own construction-time changes stay.
 *
 * @example
 * const sched = new ChainedScheduler([new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })]);
 */
export class ChainedScheduler extends LRScheduler {
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

  /** Not used: the children compute the lrs. */
  protected override getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every child in order. Call it after `optimizer.step()`. */
  override step(): void {
    this.checkOrder();
    this[ADVANCE]();
  }

  /** @internal */
  override [ADVANCE](): void {
    for (const s of this.schedulers) s[ADVANCE]();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  protected override stateSpec(): StateSpec {
    return { lastLr: prop(this, 'lastLr', listOf(anyNumber, this.groupCount)) };
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** @internal Validates every child's state dict before installing any. */
  override [PLAN_LOAD](sd: unknown, options: LoadStateDictOptions = {}): () => void {
    const commit = planWithChildren(this.type, sd, this.stateSpec(), this.schedulers, options);
    return () => {
      commit();
      this.disarmOrderCheck();
    };
  }
}
