import { ADVANCE, INITIAL_STEP, PLAN_LOAD } from './internal.js';
import { buildStateDict, planLoad, prop, type StateSpec } from './state.js';
import type { LoadStateDictOptions, SchedulableOptimizer, SchedulerStateDict, StatefulScheduler } from './types.js';
import { anyNumber, checkArg, checkOptimizer, epochIndex, finite, listOf, nonNegativeInt, show } from './validate.js';
import { STEP_ORDER_WARNING, warn } from './warn.js';

/**
 * The base of the epoch-driven schedulers, modelled on PyTorch 1.13's `_LRScheduler`: it keeps
 * `lastEpoch`, `baseLrs` (each group's `initialLr`), the last lrs it set, writes the lrs that
 * {@link getLr} computes into the optimizer's param groups on every {@link step}, and saves and
 * restores its state (`Stateful`, versioned, validated).
 *
 * Subclassing: call `super(optimizer, 'Name')`, set your fields, validate your options, then call
 * {@link start} (PyTorch's `LRScheduler.__init__`: sets `initialLr` in the groups and performs the
 * initial step, so the constructor already sets the lr of epoch 0). Implement {@link getLr} (the
 * chainable form, reading `paramGroups[i].lr`) and optionally {@link getClosedFormLr} (used by
 * `step(epoch)`), and extend {@link stateSpec} with your fields.
 */
export abstract class LRScheduler implements StatefulScheduler {
  /** The optimizer whose param groups this scheduler drives. */
  readonly optimizer: SchedulableOptimizer;
  /** The scheduler's class name (also the `type` of its state dict). */
  readonly type: string;
  /** The index of the last epoch (step) the lrs were computed for; -1 before the initial step. */
  lastEpoch = -1;
  /** Each group's `initialLr` when the schedule started (PyTorch's `base_lrs`). */
  baseLrs: number[] = [];
  /** Number of steps taken, the constructor's initial step included (PyTorch's `_step_count`). */
  protected stepCount = 0;
  /** The lrs set by the last step (PyTorch's `_last_lr`). */
  protected lastLr: number[] = [];
  /** The optimizer's `stepCount` when the call-order check was armed; null when disarmed. */
  private orderCheck: number | null = null;

  /**
   * @param optimizer - anything with `paramGroups` (each with a numeric `lr`) and `stepCount`
   * @param type - the scheduler's class name, for messages and state dicts
   */
  protected constructor(optimizer: SchedulableOptimizer, type: string) {
    this.type = type;
    this.optimizer = checkOptimizer(type, optimizer);
  }

  /** The param groups' count. */
  protected get groupCount(): number {
    return this.optimizer.paramGroups.length;
  }

  /**
   * Validates `lastEpoch` (an integer >= -1; when resuming, every group must hold `initialLr`)
   * and returns it. Call it before changing any group so a bad value changes nothing.
   */
  protected checkLastEpoch(lastEpoch: unknown): number {
    const e = checkArg<number>(this.type, 'lastEpoch', lastEpoch ?? -1, epochIndex);
    if (e !== -1) {
      this.optimizer.paramGroups.forEach((g, i) => {
        if (typeof g['initialLr'] !== 'number') {
          throw new Error(`${this.type}: param 'initialLr' is not specified in paramGroups[${i}] when resuming (lastEpoch = ${e})`);
        }
      });
    }
    return e;
  }

  /**
   * PyTorch's `LRScheduler.__init__` after the subclass fields: with `lastEpoch = -1` each group
   * gets `initialLr = lr` unless it has one (setdefault); `baseLrs` are the groups' `initialLr`;
   * then the initial step runs (computing the lr of epoch `lastEpoch + 1`).
   */
  protected start(lastEpoch: unknown = -1): void {
    const e = this.checkLastEpoch(lastEpoch);
    if (e === -1) {
      for (const g of this.optimizer.paramGroups) if (g['initialLr'] === undefined) g['initialLr'] = g.lr;
    }
    this.baseLrs = this.optimizer.paramGroups.map((g) => g['initialLr'] as number);
    this.lastEpoch = e;
    this[INITIAL_STEP]();
  }

  /** @internal PyTorch's `_initial_step`: resets the step count, arms the call-order check, steps. */
  [INITIAL_STEP](): void {
    this.stepCount = 0;
    this.armOrderCheck();
    this[ADVANCE]();
  }

  /** Remembers the optimizer's step count; the next public `step()` warns if it has not moved. */
  protected armOrderCheck(): void {
    this.orderCheck = this.optimizer.stepCount;
  }

  /** Drops a pending call-order check (a loaded scheduler resumes a run in progress). */
  protected disarmOrderCheck(): void {
    this.orderCheck = null;
  }

  /**
   * Warns (once, through the injectable warn function) when the first `step()` after
   * construction comes before any `optimizer.step()`.
   */
  protected checkOrder(): void {
    const armed = this.orderCheck;
    if (armed === null) return;
    this.orderCheck = null;
    if (this.optimizer.stepCount === armed) warn(STEP_ORDER_WARNING);
  }

  /** The lrs this scheduler set last, one per param group (a copy). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * Advances the schedule by one step and writes the new lrs into the param groups. Call it
   * after `optimizer.step()`. With `epoch` (deprecated in PyTorch) the closed form at that
   * epoch is used where the scheduler has one.
   */
  step(epoch?: number): void {
    if (epoch !== undefined) checkArg(this.type, 'epoch', epoch, nonNegativeInt);
    this.checkOrder();
    this[ADVANCE](epoch);
  }

  /** @internal One step without the call-order check. A failing lr computation changes nothing. */
  [ADVANCE](epoch?: number): void {
    const saved = [this.lastEpoch, this.stepCount] as const;
    let values: number[];
    this.stepCount++;
    try {
      if (epoch === undefined) {
        this.lastEpoch++;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this.getClosedFormLr() ?? this.getLr();
      }
    } catch (e) {
      [this.lastEpoch, this.stepCount] = saved;
      throw e;
    }
    this.applyLrs(values);
  }

  /** Writes `values` into the groups' `lr` and records them as the last lrs. */
  protected applyLrs(values: readonly number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lrs of epoch `lastEpoch` in the chainable form (may read the groups' current lr). */
  protected abstract getLr(): number[];

  /** The lrs of epoch `lastEpoch` in closed form, or null where the scheduler has none. */
  protected getClosedFormLr(): number[] | null {
    return null;
  }

  /** The scheduler's state fields; subclasses add theirs to `super.stateSpec(incoming)`. */
  protected stateSpec(incoming?: Record<string, unknown>): StateSpec {
    void incoming;
    const n = this.groupCount;
    return {
      lastEpoch: prop(this, 'lastEpoch', epochIndex),
      stepCount: prop(this, 'stepCount', nonNegativeInt),
      baseLrs: prop(this, 'baseLrs', listOf(finite, n)),
      lastLr: prop(this, 'lastLr', listOf(anyNumber, n)),
    };
  }

  /** Called after a state dict was installed (rebuild derived fields here). */
  protected afterLoad(): void {}

  /** A deep copy of the scheduler's state: `{ version: 1, type, ...fields }` (see README.md). */
  stateDict(): SchedulerStateDict {
    return buildStateDict(this.type, this.stateSpec());
  }

  /**
   * Restores a state dict made by {@link stateDict}: validates everything first (version, type,
   * every field's presence and value; unknown fields when `strict`), then installs it. Like
   * PyTorch it does not touch the optimizer: restore the optimizer's state dict as well.
   */
  loadStateDict(sd: SchedulerStateDict, options: LoadStateDictOptions = {}): void {
    this[PLAN_LOAD](sd, options)();
  }

  /** @internal Validates `sd` and returns the function that installs it. */
  [PLAN_LOAD](sd: unknown, options: LoadStateDictOptions = {}): () => void {
    const incoming = sd !== null && typeof sd === 'object' ? (sd as Record<string, unknown>) : undefined;
    const commit = planLoad(this.type, sd, this.stateSpec(incoming), options);
    return () => {
      commit();
      this.disarmOrderCheck();
      this.afterLoad();
    };
  }

  /** A short description for messages. */
  toString(): string {
    return `${this.type}(lastEpoch=${this.lastEpoch}, lr=${show(this.lastLr)})`;
  }
}
