import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { PerGroup, SchedulableOptimizer, SchedulableParamGroup } from './types.js';
import { bool, checkArg, given, inRange, oneOf, optionsOf, perGroup, positive, positiveInt, type Check } from './validate.js';

/** Options of {@link OneCycleLR}. Give `totalSteps`, or `epochs` and `stepsPerEpoch`. */
export interface OneCycleLROptions {
  /** Peak lr, a number or one per group (required). */
  maxLr: PerGroup;
  /** Total number of steps of the cycle (a positive integer). */
  totalSteps?: number | null;
  /** Number of epochs (with `stepsPerEpoch`, when `totalSteps` is not given). */
  epochs?: number | null;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number | null;
  /** Fraction of the cycle spent increasing the lr (in [0, 1]; default 0.3). */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle `momentum` (SGD) or `betas[0]` (Adam-like) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Lower momentum boundary, a number or one per group (default 0.85). */
  baseMomentum?: PerGroup;
  /** Upper momentum boundary, a number or one per group (default 0.95). */
  maxMomentum?: PerGroup;
  /** `initialLr = maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** `minLr = initialLr / finalDivFactor` (default 1e4). */
  finalDivFactor?: number;
  /** Use three phases (up, down to `initialLr`, down to `minLr`) instead of two (default false). */
  threePhase?: boolean;
  /** The index of the last batch when resuming (default -1: start). */
  lastEpoch?: number;
}

/** One phase of the cycle: where it ends and which group keys it anneals between. */
export interface SchedulePhase {
  /** The (fractional) step at which the phase ends. */
  endStep: number;
  /** Group key of the lr at the start (`'initialLr'`, `'maxLr'` or `'minLr'`). */
  startLr: string;
  /** Group key of the lr at the end. */
  endLr: string;
  /** Group key of the momentum at the start (`'maxMomentum'` or `'baseMomentum'`). */
  startMomentum: string;
  /** Group key of the momentum at the end. */
  endMomentum: string;
}

const LR_KEYS = ['initialLr', 'maxLr', 'minLr'];
const MOMENTUM_KEYS = ['maxMomentum', 'baseMomentum'];
const phasesCheck: Check = {
  test: (v) =>
    Array.isArray(v) &&
    v.length >= 1 &&
    v.every(
      (p) =>
        p !== null &&
        typeof p === 'object' &&
        Object.keys(p).length === 5 &&
        Number.isFinite(p.endStep) &&
        LR_KEYS.includes(p.startLr) &&
        LR_KEYS.includes(p.endLr) &&
        MOMENTUM_KEYS.includes(p.startMomentum) &&
        MOMENTUM_KEYS.includes(p.endMomentum),
    ),
  desc: `a list of phases { endStep, startLr, endLr (${LR_KEYS.join('/')}), startMomentum, endMomentum (${MOMENTUM_KEYS.join('/')}) }`,
};

const anneal = {
  cos: (start: number, end: number, pct: number): number => end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1),
  linear: (start: number, end: number, pct: number): number => (end - start) * pct + start,
};

const hasMomentum = (g: SchedulableParamGroup): boolean => typeof g['momentum'] === 'number';
const hasBetas = (g: SchedulableParamGroup): boolean => Array.isArray(g['betas']) && typeof (g['betas'] as unknown[])[0] === 'number';

/**
 * The 1cycle policy (PyTorch's `OneCycleLR`): the lr rises from `maxLr / divFactor` to `maxLr`
 * during the first `pctStart` of the cycle, then falls to `initialLr / finalDivFactor` (with
 * `threePhase`, first back to the initial lr), while the momentum (or Adam's `betas[0]`) moves
 * inversely. Step it after every batch; stepping past `totalSteps` throws. The constructor
 * overwrites each group's `initialLr`, `maxLr`, `minLr` (and momentum/`betas[0]`,
 * `maxMomentum`, `baseMomentum` when cycling) — they live in the param groups, as in PyTorch.
 *
 * @example
 * const sched = new OneCycleLR(opt, { maxLr: 0.01, epochs: 10, stepsPerEpoch: 100 });
 */
export class OneCycleLR extends LRScheduler {
  /** Total steps of the cycle. */
  totalSteps: number;
  /** The phases of the cycle. */
  schedulePhases: SchedulePhase[];
  /** `'cos'` or `'linear'`. */
  annealStrategy: 'cos' | 'linear';
  /** Whether momentum (or `betas[0]`) is cycled. */
  cycleMomentum: boolean;
  /** Whether the cycled momentum is `betas[0]` (only meaningful when cycling). */
  useBeta1 = false;

  /** @param optimizer - the optimizer to drive; @param options - see {@link OneCycleLROptions} */
  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    super(optimizer, 'OneCycleLR');
    const t = this.type;
    const o = optionsOf(t, options);
    const n = this.groupCount;
    const lastEpoch = this.checkLastEpoch(o.lastEpoch);
    const totalSteps = given(o.totalSteps);
    if (totalSteps !== undefined) {
      this.totalSteps = checkArg(t, 'totalSteps', totalSteps, positiveInt);
    } else {
      const epochs = given(o.epochs);
      const spe = given(o.stepsPerEpoch);
      if (epochs === undefined || spe === undefined) throw new RangeError(`${t}: you must define either totalSteps OR (epochs AND stepsPerEpoch)`);
      this.totalSteps = checkArg<number>(t, 'epochs', epochs, positiveInt) * checkArg<number>(t, 'stepsPerEpoch', spe, positiveInt);
    }
    const pct = checkArg<number>(t, 'pctStart', o.pctStart ?? 0.3, inRange(0, 1));
    const T = this.totalSteps;
    const phase = (endStep: number, startLr: string, endLr: string, startMomentum: string, endMomentum: string): SchedulePhase => ({
      endStep,
      startLr,
      endLr,
      startMomentum,
      endMomentum,
    });
    const threePhase = checkArg<boolean>(t, 'threePhase', o.threePhase ?? false, bool);
    this.schedulePhases = threePhase
      ? [
          phase(pct * T - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'),
          phase(2 * pct * T - 2, 'maxLr', 'initialLr', 'baseMomentum', 'maxMomentum'),
          phase(T - 1, 'initialLr', 'minLr', 'maxMomentum', 'maxMomentum'),
        ]
      : [phase(pct * T - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'), phase(T - 1, 'maxLr', 'minLr', 'baseMomentum', 'maxMomentum')];
    this.annealStrategy = checkArg(t, 'annealStrategy', o.annealStrategy ?? 'cos', oneOf(['cos', 'linear']));
    const maxLrs = perGroup(t, 'maxLr', o.maxLr, n);
    const divFactor = checkArg<number>(t, 'divFactor', o.divFactor ?? 25.0, positive);
    const finalDivFactor = checkArg<number>(t, 'finalDivFactor', o.finalDivFactor ?? 1e4, positive);
    this.cycleMomentum = checkArg(t, 'cycleMomentum', o.cycleMomentum ?? true, bool);
    const groups = this.optimizer.paramGroups;
    let maxMomentums: number[] = [];
    let baseMomentums: number[] = [];
    if (this.cycleMomentum) {
      if (!groups.every(hasMomentum) && !groups.every(hasBetas)) {
        throw new Error(`${t}: optimizer must support momentum with the cycleMomentum option enabled (its groups need a numeric 'momentum' or 'betas')`);
      }
      this.useBeta1 = groups.every(hasBetas);
      maxMomentums = perGroup(t, 'maxMomentum', o.maxMomentum ?? 0.95, n);
      baseMomentums = perGroup(t, 'baseMomentum', o.baseMomentum ?? 0.85, n);
    }
    if (lastEpoch !== -1) this.checkResumeKeys();
    // All options are valid: from here on the groups change.
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g['initialLr'] = maxLrs[i]! / divFactor;
        g['maxLr'] = maxLrs[i]!;
        g['minLr'] = (g['initialLr'] as number) / finalDivFactor;
      });
      if (this.cycleMomentum) {
        groups.forEach((g, i) => {
          this.setMomentum(g, maxMomentums[i]!);
          g['maxMomentum'] = maxMomentums[i]!;
          g['baseMomentum'] = baseMomentums[i]!;
        });
      }
    }
    this.start(lastEpoch);
  }

  /** When resuming, the groups must already hold the cycle's keys. */
  private checkResumeKeys(): void {
    const keys = this.cycleMomentum ? [...LR_KEYS, ...MOMENTUM_KEYS] : LR_KEYS;
    this.optimizer.paramGroups.forEach((g, i) => {
      for (const k of keys) if (typeof g[k] !== 'number') throw new Error(`${this.type}: paramGroups[${i}] has no numeric '${k}' to resume from`);
    });
  }

  private setMomentum(g: SchedulableParamGroup, m: number): void {
    if (this.useBeta1) g['betas'] = [m, ...(g['betas'] as number[]).slice(1)];
    else g['momentum'] = m;
  }

  /** The lrs at step `lastEpoch`; sets the momentum (or `betas[0]`) as a side effect when cycling. */
  protected override getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new RangeError(`${this.type}: tried to step ${step} times; the specified number of total steps is ${this.totalSteps}`);
    }
    const fn = anneal[this.annealStrategy];
    const phases = this.schedulePhases;
    const lrs: number[] = [];
    for (const g of this.optimizer.paramGroups) {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < phases.length; i++) {
        const p = phases[i]!;
        if (step <= p.endStep || i === phases.length - 1) {
          const pct = (step - startStep) / (p.endStep - startStep);
          lr = fn(g[p.startLr] as number, g[p.endLr] as number, pct);
          if (this.cycleMomentum) momentum = fn(g[p.startMomentum] as number, g[p.endMomentum] as number, pct);
          break;
        }
        startStep = p.endStep;
      }
      lrs.push(lr);
      if (this.cycleMomentum) this.setMomentum(g, momentum);
    }
    return lrs;
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    const spec: StateSpec = {
      ...super.stateSpec(incoming),
      totalSteps: prop(this, 'totalSteps', positiveInt),
      schedulePhases: prop(this, 'schedulePhases', phasesCheck),
      annealStrategy: prop(this, 'annealStrategy', oneOf(['cos', 'linear'])),
      cycleMomentum: prop(this, 'cycleMomentum', bool),
    };
    const cycled = incoming === undefined ? this.cycleMomentum : incoming['cycleMomentum'] === true;
    if (cycled) {
      const groups = this.optimizer.paramGroups;
      spec['useBeta1'] = prop(this, 'useBeta1', {
        test: (v) => (v === true && groups.every(hasBetas)) || (v === false && groups.every(hasMomentum)),
        desc: "a boolean matching the optimizer (true: groups with 'betas'; false: groups with 'momentum')",
      });
    }
    return spec;
  }
}
