import { LRScheduler } from './lr-scheduler.js';
import type { StateSpec } from './state.js';
import type { LrLambda, SchedulableOptimizer } from './types.js';
import { listOf, optionsOf, show, type Check } from './validate.js';

/** Options of {@link LambdaLR} and {@link MultiplicativeLR}. */
export interface LambdaLROptions {
  /** A function of the integer epoch, or one function per param group. */
  lrLambda: LrLambda | readonly LrLambda[];
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

/** `null` (functions are not saved in state dicts, as in PyTorch). */
const isNull: Check = { test: (v) => v === null, desc: 'null' };

/** One lambda per group (PyTorch: a single function is shared; a list needs one per group). */
export function formatLambdas(where: string, lrLambda: unknown, nGroups: number): LrLambda[] {
  if (Array.isArray(lrLambda)) {
    if (lrLambda.length !== nGroups) throw new RangeError(`${where}: expected ${nGroups} lrLambdas (one per param group), but got ${lrLambda.length}`);
    lrLambda.forEach((f, i) => {
      if (typeof f !== 'function') throw new TypeError(`${where}: lrLambda[${i}] should be a function, but got ${show(f)}`);
    });
    return [...(lrLambda as LrLambda[])];
  }
  if (typeof lrLambda !== 'function') throw new TypeError(`${where}: lrLambda should be a function or a list of functions, but got ${show(lrLambda)}`);
  return new Array<LrLambda>(nGroups).fill(lrLambda as LrLambda);
}

/** Calls a lambda and checks that it returned a number. */
export function callLambda(where: string, fn: LrLambda, i: number, epoch: number): number {
  const v: unknown = fn(epoch);
  if (typeof v !== 'number') throw new TypeError(`${where}: lrLambda for param group ${i} returned ${show(v)} at epoch ${epoch}, expected a number`);
  return v;
}

/** The state field for the lambdas: a list of nulls (functions are not serialised). */
export function lambdaField(lambdas: readonly LrLambda[]): StateSpec {
  return { lrLambdas: { check: listOf(isNull, lambdas.length), get: () => lambdas.map(() => null), set: () => {} } };
}

/**
 * Sets each group's lr to its initial lr times a function of the epoch:
 * `lr = initialLr * lrLambda(epoch)` (PyTorch's `LambdaLR`).
 *
 * @example
 * const sched = new LambdaLR(opt, { lrLambda: (epoch) => 0.95 ** epoch });
 */
export class LambdaLR extends LRScheduler {
  /** One function per param group. */
  readonly lrLambdas: LrLambda[];

  /** @param optimizer - the optimizer to drive; @param options - `lrLambda`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    super(optimizer, 'LambdaLR');
    const o = optionsOf('LambdaLR', options);
    this.lrLambdas = formatLambdas(this.type, o.lrLambda, this.groupCount);
    this.start(o.lastEpoch);
  }

  protected override getLr(): number[] {
    return this.baseLrs.map((base, i) => base * callLambda(this.type, this.lrLambdas[i]!, i, this.lastEpoch));
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return { ...super.stateSpec(incoming), ...lambdaField(this.lrLambdas) };
  }
}
