import { buildStateDict, planLoad, prop, type StateSpec } from './state.js';
import type { LoadStateDictOptions, PerGroup, SchedulableOptimizer, SchedulerStateDict, StatefulScheduler } from './types.js';
import {
  anyNumber,
  checkArg,
  checkOptimizer,
  finite,
  listOf,
  nonNegativeInt,
  oneOf,
  optionsOf,
  perGroup,
  show,
  type Check,
} from './validate.js';
import { STEP_ORDER_WARNING, warn } from './warn.js';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** `'min'` (default): reduce when the metric stops decreasing; `'max'`: when it stops increasing. */
  mode?: 'min' | 'max';
  /** `newLr = lr * factor` (must be < 1; default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Minimum significant improvement (default 1e-4). */
  threshold?: number;
  /** `'rel'` (default): relative to the best value; `'abs'`: absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound of the lr, a number or one per group (default 0). */
  minLr?: PerGroup;
  /** Reductions smaller than this are ignored (default 1e-8). */
  eps?: number;
}

/** A metric: a number, or anything with a synchronous `item()` (a 0-d tensor on CPU). */
export type Metric = number | { item(): number };

const factorCheck: Check = { test: (v) => typeof v === 'number' && Number.isFinite(v) && v < 1.0, desc: 'a number < 1.0 (the lr is multiplied by it)' };
const MODES = ['min', 'max'] as const;
const THRESHOLD_MODES = ['rel', 'abs'] as const;

/**
 * Reduces the lr when a metric has stopped improving (PyTorch 1.13's `ReduceLROnPlateau`): after
 * more than `patience` epochs without an improvement of at least `threshold`, each group's lr
 * becomes `max(lr * factor, minLr)` (changes smaller than `eps` are skipped), then `cooldown`
 * epochs pass before bad epochs count again. Call `step(metric)` once per epoch. As in PyTorch
 * it is not an `LRScheduler`: it sets no `initialLr` and changes nothing at construction.
 *
 * @example
 * const sched = new ReduceLROnPlateau(opt, { mode: 'min', patience: 5 });
 * sched.step(validationLoss);
 */
export class ReduceLROnPlateau implements StatefulScheduler {
  /** The optimizer whose param groups this scheduler drives. */
  readonly optimizer: SchedulableOptimizer;
  /** The class name (also the `type` of its state dict). */
  readonly type = 'ReduceLROnPlateau';
  /** Reduction factor. */
  factor: number;
  /** Lower lr bounds per group. */
  minLrs: number[];
  /** Bad epochs tolerated. */
  patience: number;
  /** Cooldown length after a reduction. */
  cooldown: number;
  /** Remaining cooldown epochs. */
  cooldownCounter = 0;
  /** `'min'` or `'max'`. */
  mode: string;
  /** Improvement threshold. */
  threshold: number;
  /** `'rel'` or `'abs'`. */
  thresholdMode: string;
  /** The best metric so far (starts at the worst value of the mode, ±Infinity). */
  best = Infinity;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** The worst value of the mode (Infinity for `'min'`, -Infinity for `'max'`). */
  modeWorse = Infinity;
  /** Minimal lr change. */
  eps: number;
  /** The last epoch index (0 before the first step). */
  lastEpoch = 0;
  private lastLr: number[];
  private orderCheck: number | null;

  /** @param optimizer - the optimizer to drive; @param options - see {@link ReduceLROnPlateauOptions} */
  constructor(optimizer: SchedulableOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const t = this.type;
    const o = optionsOf(t, options, true);
    this.factor = checkArg(t, 'factor', o.factor ?? 0.1, factorCheck);
    this.optimizer = checkOptimizer(t, optimizer);
    this.minLrs = perGroup(t, 'minLr', o.minLr ?? 0, this.optimizer.paramGroups.length);
    this.patience = checkArg(t, 'patience', o.patience ?? 10, nonNegativeInt);
    this.cooldown = checkArg(t, 'cooldown', o.cooldown ?? 0, nonNegativeInt);
    this.mode = checkArg(t, 'mode', o.mode ?? 'min', oneOf(MODES));
    this.threshold = checkArg(t, 'threshold', o.threshold ?? 1e-4, finite);
    this.thresholdMode = checkArg(t, 'thresholdMode', o.thresholdMode ?? 'rel', oneOf(THRESHOLD_MODES));
    this.eps = checkArg(t, 'eps', o.eps ?? 1e-8, finite);
    this.initIsBetter();
    this.reset();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
    this.orderCheck = this.optimizer.stepCount;
  }

  /** Resets the bad-epoch counter, the cooldown and the best value. */
  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  private initIsBetter(): void {
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether the scheduler is cooling down after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether metric `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** The lrs of the param groups after the last step (their current lrs before the first). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * Records one epoch's metric and reduces the lrs if it has not improved for more than
   * `patience` epochs. `epoch` (deprecated in PyTorch) sets the epoch index explicitly.
   */
  step(metric: Metric, epoch?: number): void {
    let current: unknown = metric;
    if (metric !== null && typeof metric === 'object' && typeof metric.item === 'function') current = metric.item();
    if (typeof current !== 'number') {
      throw new TypeError(`${this.type}.step: expected the metric as a number (or a 0-d tensor), got ${show(metric)}`);
    }
    if (epoch !== undefined) checkArg(this.type, 'epoch', epoch, nonNegativeInt);
    if (this.orderCheck !== null) {
      if (this.optimizer.stepCount === this.orderCheck) warn(STEP_ORDER_WARNING);
      this.orderCheck = null;
    }
    const e = epoch ?? this.lastEpoch + 1;
    this.lastEpoch = e;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const oldLr = g.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) g.lr = newLr;
    });
  }

  private stateSpec(): StateSpec {
    const n = this.optimizer.paramGroups.length;
    return {
      factor: prop(this, 'factor', factorCheck),
      minLrs: prop(this, 'minLrs', listOf(finite, n)),
      patience: prop(this, 'patience', nonNegativeInt),
      cooldown: prop(this, 'cooldown', nonNegativeInt),
      cooldownCounter: prop(this, 'cooldownCounter', nonNegativeInt),
      mode: prop(this, 'mode', oneOf(MODES)),
      threshold: prop(this, 'threshold', finite),
      thresholdMode: prop(this, 'thresholdMode', oneOf(THRESHOLD_MODES)),
      best: prop(this, 'best', anyNumber),
      numBadEpochs: prop(this, 'numBadEpochs', nonNegativeInt),
      modeWorse: prop(this, 'modeWorse', anyNumber),
      eps: prop(this, 'eps', finite),
      lastEpoch: prop(this, 'lastEpoch', nonNegativeInt),
      lastLr: prop(this, 'lastLr', listOf(anyNumber, n)),
    };
  }

  /** A deep copy of the state: `{ version: 1, type: 'ReduceLROnPlateau', ...fields }` (`best` may be ±Infinity). */
  stateDict(): SchedulerStateDict {
    return buildStateDict(this.type, this.stateSpec());
  }

  /** Validates `sd` completely, then restores it (the optimizer is not touched, as in PyTorch). */
  loadStateDict(sd: SchedulerStateDict, options: LoadStateDictOptions = {}): void {
    planLoad(this.type, sd, this.stateSpec(), options)();
    this.orderCheck = null;
    this.initIsBetter();
  }
}
