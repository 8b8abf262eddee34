import { callLambda, formatLambdas, lambdaField, type LambdaLROptions } from './lambda-lr.js';
import { LRScheduler } from './lr-scheduler.js';
import type { StateSpec } from './state.js';
import type { LrLambda, SchedulableOptimizer } from './types.js';
import { optionsOf } from './validate.js';

/** Options of {@link MultiplicativeLR} (the same as {@link LambdaLROptions}). */
export type MultiplicativeLROptions = LambdaLROptions;

/**
 * Multiplies each group's lr by a function of the epoch at every step after the first:
 * `lr *= lrLambda(epoch)` (PyTorch's `MultiplicativeLR`; chainable).
 *
 * @example
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.95 });
 */
export class MultiplicativeLR extends LRScheduler {
  /** One function per param group. */
  readonly lrLambdas: LrLambda[];

  /** @param optimizer - the optimizer to drive; @param options - `lrLambda`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: MultiplicativeLROptions) {
    super(optimizer, 'MultiplicativeLR');
    const o = optionsOf('MultiplicativeLR', options);
    this.lrLambdas = formatLambdas(this.type, o.lrLambda, this.groupCount);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch > 0) return groups.map((g, i) => g.lr * callLambda(this.type, this.lrLambdas[i]!, i, this.lastEpoch));
    return groups.map((g) => g.lr);
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return { ...super.stateSpec(incoming), ...lambdaField(this.lrLambdas) };
  }
}
