import { LRScheduler } from './lr-scheduler.js';
import { prop, type StateSpec } from './state.js';
import type { PerGroup, SchedulableOptimizer } from './types.js';
import { bool, checkArg, finite, given, listOf, oneOf, optionsOf, perGroup, positive, show } from './validate.js';

/** The built-in cycle policies of {@link CyclicLR}. */
export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

/** Options of {@link CyclicLR}. */
export interface CyclicLROptions {
  /** Lower lr boundary, a number or one per group (required). */
  baseLr: PerGroup;
  /** Upper lr boundary, a number or one per group (required). */
  maxLr: PerGroup;
  /** Iterations in the increasing half of a cycle (positive; default 2000). */
  stepSizeUp?: number;
  /** Iterations in the decreasing half (positive; default: `stepSizeUp`; null means not given). */
  stepSizeDown?: number | null;
  /** `'triangular'` (default), `'triangular2'` (amplitude halves each cycle) or `'exp_range'` (`gamma ** iteration`). Ignored with `scaleFn`. */
  mode?: CyclicMode;
  /** The constant of `'exp_range'` (default 1). */
  gamma?: number;
  /** A custom amplitude scale in [0, 1]; replaces `mode` (not saved in state dicts). */
  scaleFn?: ((x: number) => number) | null;
  /** What `scaleFn` is evaluated on: `'cycle'` (default) or `'iterations'`. */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle the groups' `momentum` inversely to the lr (default true; needs an optimizer with `momentum`). */
  cycleMomentum?: boolean;
  /** Lower momentum boundary, a number or one per group (default 0.8). */
  baseMomentum?: PerGroup;
  /** Upper momentum boundary, a number or one per group (default 0.9). */
  maxMomentum?: PerGroup;
  /** The index of the last batch when resuming (default -1: start). */
  lastEpoch?: number;
}

const MODES = ['triangular', 'triangular2', 'exp_range'] as const;
const SCALE_MODES = ['cycle', 'iterations'] as const;

/** Checks that every group has a numeric `momentum` (what momentum cycling writes). */
export function requireMomentum(where: string, optimizer: SchedulableOptimizer): void {
  optimizer.paramGroups.forEach((g, i) => {
    if (typeof g['momentum'] !== 'number') {
      throw new Error(`${where}: optimizer must support momentum with the cycleMomentum option enabled (paramGroups[${i}] has no numeric 'momentum')`);
    }
  });
}

/**
 * Cyclical learning rates (PyTorch's `CyclicLR`): the lr of each group cycles between `baseLr`
 * and `maxLr` in triangles of `stepSizeUp + stepSizeDown` iterations, with the amplitude scaled
 * by the policy; the momentum cycles inversely between `maxMomentum` and `baseMomentum`. Step it
 * after every batch. The constructor overwrites each group's lr (and momentum, when cycled).
 *
 * @example
 * const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2000 });
 */
export class CyclicLR extends LRScheduler {
  /** Upper lr boundaries per group. */
  maxLrs: number[];
  /** Iterations per cycle. */
  totalSize: number;
  /** Fraction of the cycle spent increasing. */
  stepRatio: number;
  /** The policy. */
  mode: string;
  /** The `'exp_range'` constant. */
  gamma: number;
  /** What the scale function is evaluated on. */
  scaleMode: string;
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Lower momentum boundaries per group (when cycled). */
  baseMomentums: number[] = [];
  /** Upper momentum boundaries per group (when cycled). */
  maxMomentums: number[] = [];
  private readonly scaleFnCustom: ((x: number) => number) | null;
  private scaleFnRef: (x: number) => number = () => 1;

  /** @param optimizer - the optimizer to drive; @param options - see {@link CyclicLROptions} */
  constructor(optimizer: SchedulableOptimizer, options: CyclicLROptions) {
    super(optimizer, 'CyclicLR');
    const t = this.type;
    const o = optionsOf(t, options);
    const n = this.groupCount;
    const lastEpoch = this.checkLastEpoch(o.lastEpoch);
    const baseLrs = perGroup(t, 'baseLr', o.baseLr, n);
    this.maxLrs = perGroup(t, 'maxLr', o.maxLr, n);
    const up = checkArg<number>(t, 'stepSizeUp', o.stepSizeUp ?? 2000, positive);
    const down = checkArg<number>(t, 'stepSizeDown', given(o.stepSizeDown) ?? up, positive);
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    const scaleFn = given(o.scaleFn);
    if (scaleFn !== undefined && typeof scaleFn !== 'function') throw new TypeError(`${t}: scaleFn must be a function, got ${show(scaleFn)}`);
    this.scaleFnCustom = scaleFn ?? null;
    this.mode = o.mode ?? 'triangular';
    if (this.scaleFnCustom === null) checkArg(t, 'mode', this.mode, oneOf(MODES));
    this.gamma = checkArg(t, 'gamma', o.gamma ?? 1.0, finite);
    this.scaleMode = checkArg(t, 'scaleMode', o.scaleMode ?? 'cycle', oneOf(SCALE_MODES));
    this.cycleMomentum = checkArg(t, 'cycleMomentum', o.cycleMomentum ?? true, bool);
    let baseMomentums: number[] = [];
    if (this.cycleMomentum) {
      requireMomentum(t, this.optimizer);
      baseMomentums = perGroup(t, 'baseMomentum', o.baseMomentum ?? 0.8, n);
      this.maxMomentums = perGroup(t, 'maxMomentum', o.maxMomentum ?? 0.9, n);
    }
    // All options are valid: from here on the groups change.
    this.initScaleFn();
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) groups.forEach((g, i) => (g.lr = baseLrs[i]!));
    if (this.cycleMomentum) {
      if (lastEpoch === -1) groups.forEach((g, i) => (g['momentum'] = baseMomentums[i]!));
      this.baseMomentums = groups.map((g) => g['momentum'] as number);
    }
    this.start(lastEpoch);
    this.baseLrs = baseLrs;
  }

  /** PyTorch's `_init_scale_fn`: the built-in policy fixes the scale mode. */
  private initScaleFn(): void {
    if (this.scaleFnCustom !== null) return;
    if (this.mode === 'triangular') {
      this.scaleFnRef = () => 1;
      this.scaleMode = 'cycle';
    } else if (this.mode === 'triangular2') {
      this.scaleFnRef = (x) => 1 / 2.0 ** (x - 1);
      this.scaleMode = 'cycle';
    } else if (this.mode === 'exp_range') {
      const gamma = this.gamma;
      this.scaleFnRef = (x) => gamma ** x;
      this.scaleMode = 'iterations';
    }
  }

  /** The amplitude scale at `x` (a cycle number or an iteration). */
  scaleFn(x: number): number {
    return this.scaleFnCustom !== null ? this.scaleFnCustom(x) : this.scaleFnRef(x);
  }

  /** The lrs at batch `lastEpoch`; as a side effect sets the groups' momentum when cycled. */
  protected override getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1.0 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i]! - base) * scaleFactor * scale);
    if (this.cycleMomentum) {
      const momentums = this.baseMomentums.map((bm, i) => this.maxMomentums[i]! - (this.maxMomentums[i]! - bm) * scaleFactor * scale);
      this.optimizer.paramGroups.forEach((g, i) => (g['momentum'] = momentums[i]!));
    }
    return lrs;
  }

  protected override stateSpec(incoming?: Record<string, unknown>): StateSpec {
    const n = this.groupCount;
    const spec: StateSpec = {
      ...super.stateSpec(incoming),
      maxLrs: prop(this, 'maxLrs', listOf(finite, n)),
      totalSize: prop(this, 'totalSize', positive),
      stepRatio: prop(this, 'stepRatio', { test: (v) => typeof v === 'number' && v > 0 && v < 1, desc: 'a number in (0, 1)' }),
      mode: prop(this, 'mode', this.scaleFnCustom === null ? oneOf(MODES) : { test: (v) => typeof v === 'string', desc: 'a string' }),
      gamma: prop(this, 'gamma', finite),
      scaleMode: prop(this, 'scaleMode', oneOf(SCALE_MODES)),
      cycleMomentum: prop(this, 'cycleMomentum', {
        test: (v) => v === false || (v === true && this.optimizer.paramGroups.every((g) => typeof g['momentum'] === 'number')),
        desc: "a boolean (true only for an optimizer whose groups have a numeric 'momentum')",
      }),
    };
    const cycled = incoming === undefined ? this.cycleMomentum : incoming['cycleMomentum'] === true;
    if (cycled) {
      spec['baseMomentums'] = prop(this, 'baseMomentums', listOf(finite, n));
      spec['maxMomentums'] = prop(this, 'maxMomentums', listOf(finite, n));
    }
    return spec;
  }

  protected override afterLoad(): void {
    if (!this.cycleMomentum) {
      this.baseMomentums = [];
      this.maxMomentums = [];
    }
    this.initScaleFn();
  }
}
