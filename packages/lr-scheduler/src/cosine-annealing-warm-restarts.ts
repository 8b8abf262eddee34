import { ADVANCE } from './internal.js';
import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { SchedulableOptimizer } from './types.js';
import { checkArg, finite, optionsOf, positive, positiveInt, type Check } from './validate.js';

/** Options of {@link CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs until the first restart (a positive integer; required). */
  t0: number;
  /** Factor by which the period grows after each restart (an integer >= 1; default 1). */
  tMult?: number;
  /** Minimum lr (default 0). */
  etaMin?: number;
  /** The index of the last epoch when resuming (default -1: start). */
  lastEpoch?: number;
}

const nonNegative: Check = { test: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, desc: 'a non-negative finite number' };

/**
 * Cosine annealing with warm restarts, SGDR (PyTorch's `CosineAnnealingWarmRestarts`):
 * `lr = etaMin + (initialLr - etaMin) * (1 + cos(pi * tCur / tI)) / 2`, where `tCur` counts the
 * epochs since the last restart and the period `tI` starts at `t0` and is multiplied by `tMult`
 * at each restart. `step(epoch)` accepts fractional epochs (e.g. `epoch + i / iters`).
 *
 * @example
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 });
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** The first period. */
  t0: number;
  /** The current period. */
  tI: number;
  /** Period growth factor. */
  tMult: number;
  /** Minimum lr. */
  etaMin: number;
  /** Epochs since the last restart (may be fractional). */
  tCur: number;

  /** @param optimizer - the optimizer to drive; @param options - `t0`, `tMult`, `etaMin`, `lastEpoch` */
  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    super(optimizer, 'CosineAnnealingWarmRestarts');
    const o = optionsOf(this.type, options);
    this.t0 = checkArg(this.type, 't0', o.t0, positiveInt);
    this.tI = this.t0;
    this.tMult = checkArg(this.type, 'tMult', o.tMult ?? 1, positiveInt);
    this.etaMin = checkArg(this.type, 'etaMin', o.etaMin ?? 0, finite);
    const lastEpoch = this.checkLastEpoch(o.lastEpoch);
    this.tCur = lastEpoch;
    this.start(lastEpoch);
  }

  protected override getLr(): number[] {
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  /**
   * Advances one epoch, or jumps to `epoch` (a non-negative number, may be fractional; the
   * period and position within it are recomputed). Call it after `optimizer.step()`.
   */
  override step(epoch?: number): void {
    if (epoch !== undefined) checkArg(this.type, 'epoch', epoch, nonNegative);
    this.checkOrder();
    this[ADVANCE](epoch);
  }

  /** @internal PyTorch's `CosineAnnealingWarmRestarts.step` (which leaves `stepCount` alone). */
  override [ADVANCE](epoch?: number): void {
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else if (e >= this.t0) {
      if (this.tMult === 1) {
        this.tCur = e % this.t0;
      } else {
        const n = Math.trunc(Math.log((e / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
        this.tCur = e - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
        this.tI = this.t0 * this.tMult ** n;
      }
    } else {
      this.tI = this.t0;
      this.tCur = e;
    }
    this.lastEpoch = Math.floor(e);
    this.applyLrs(this.getLr());
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    return {
      ...super.stateSpec(incoming),
      t0: prop(this, 't0', positiveInt),
      tI: prop(this, 'tI', positive),
      tMult: prop(this, 'tMult', positiveInt),
      etaMin: prop(this, 'etaMin', finite),
      tCur: prop(this, 'tCur', finite),
    };
  }
}
