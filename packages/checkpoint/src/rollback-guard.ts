import type { History } from './history.js';

/** What a guarded training step reports back. */
export interface StepOutcome {
  /** The step's loss (a number; read tensors with `item()` / `await itemAsync()` first). */
  loss: number;
  /** Optional global gradient norm of the step. */
  gradNorm?: number;
}

/** Why a step was rolled back. */
export type RollbackReason = 'nonfinite-loss' | 'nonfinite-grad-norm' | 'loss-spike' | 'grad-norm-spike';

/** One rollback, as reported to `onEvent` and returned by `step`. */
export interface RollbackEvent {
  /** What was detected. */
  reason: RollbackReason;
  /** The step's loss. */
  loss: number;
  /** The step's gradient norm, if given. */
  gradNorm?: number;
  /** The threshold the value crossed (NaN for non-finite values). */
  threshold: number;
  /** 0 for the first attempt of this step, 1 for the first retry, ... */
  attempt: number;
  /** The guarded step's index (counts `step` calls). */
  stepIndex: number;
}

/** What the user's `onRollback` decides after a rollback. */
export type RollbackAction = 'retry' | 'skip';

/** Options of {@link RollbackGuard}. */
export interface RollbackGuardOptions {
  /** Running window of accepted losses the spike test compares with (default 20). */
  window?: number;
  /** A loss is a spike when it exceeds mean + `spikeStd`·std of the window (default 4). */
  spikeStd?: number;
  /** …and also exceeds `spikeFactor`·mean of the window (default 2; guards tiny-variance windows). */
  spikeFactor?: number;
  /** Accepted losses needed before spikes are judged (default 5). */
  warmup?: number;
  /** Retries of one step before giving up (default 3). */
  maxRetries?: number;
  /** What to do when retries are exhausted: skip the batch (default) or throw. */
  onExhausted?: 'skip' | 'throw';
  /** Called after each rollback (state already restored): change hyperparameters here; return 'skip' to drop the batch. */
  onRollback?: (event: RollbackEvent) => RollbackAction | void;
  /** Called for every rollback, for logging. */
  onEvent?: (event: RollbackEvent) => void;
}

/** The result of one guarded step. */
export interface GuardedStepResult {
  /** Whether the step was finally accepted. */
  accepted: boolean;
  /** Whether the batch was skipped (state left as before the step). */
  skipped: boolean;
  /** Attempts made (1 when accepted first time). */
  attempts: number;
  /** The accepted loss (or the last one seen). */
  loss: number;
  /** Rollbacks that happened during this step. */
  events: RollbackEvent[];
}

/**
 * Automatic rollback: commits before each step, runs it, and when the loss (or gradient norm)
 * is non-finite or spikes relative to a running window, back-steps through the {@link History},
 * lets the user change something (e.g. halve the learning rate) and retries, up to a limit.
 */
export class RollbackGuard {
  private readonly losses: number[] = [];
  private readonly norms: number[] = [];
  private stepIndex = 0;
  private readonly opts: Required<Omit<RollbackGuardOptions, 'onRollback' | 'onEvent'>> & Pick<RollbackGuardOptions, 'onRollback' | 'onEvent'>;
  /** Every rollback so far. */
  readonly events: RollbackEvent[] = [];

  constructor(private readonly history: History, options: RollbackGuardOptions = {}) {
    this.opts = {
      window: options.window ?? 20,
      spikeStd: options.spikeStd ?? 4,
      spikeFactor: options.spikeFactor ?? 2,
      warmup: options.warmup ?? 5,
      maxRetries: options.maxRetries ?? 3,
      onExhausted: options.onExhausted ?? 'skip',
      ...(options.onRollback === undefined ? {} : { onRollback: options.onRollback }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    };
    for (const k of ['window', 'warmup', 'maxRetries'] as const) {
      if (!Number.isInteger(this.opts[k]) || this.opts[k] < 0) throw new RangeError(`RollbackGuard: ${k} must be a non-negative integer, got ${this.opts[k]}`);
    }
    if (!(this.opts.spikeStd > 0) || !(this.opts.spikeFactor >= 1)) throw new RangeError('RollbackGuard: spikeStd must be > 0 and spikeFactor >= 1');
  }

  /** Runs one guarded step. `trainStep(attempt)` does forward, backward and `optimizer.step()`. */
  step(trainStep: (attempt: number) => StepOutcome): GuardedStepResult {
    const index = this.stepIndex++;
    this.history.commit({ step: index });
    const events: RollbackEvent[] = [];
    let last = NaN;
    for (let attempt = 0; attempt <= this.opts.maxRetries; attempt++) {
      const out = trainStep(attempt);
      last = out.loss;
      const verdict = this.judge(out);
      if (verdict === null) {
        push(this.losses, out.loss, this.opts.window);
        if (out.gradNorm !== undefined) push(this.norms, out.gradNorm, this.opts.window);
        return { accepted: true, skipped: false, attempts: attempt + 1, loss: out.loss, events };
      }
      this.history.backStep();
      const event: RollbackEvent = { ...verdict, loss: out.loss, attempt, stepIndex: index, ...(out.gradNorm === undefined ? {} : { gradNorm: out.gradNorm }) };
      events.push(event);
      this.events.push(event);
      this.opts.onEvent?.(event);
      const action = this.opts.onRollback?.(event) ?? 'retry';
      if (action === 'skip') return { accepted: false, skipped: true, attempts: attempt + 1, loss: last, events };
    }
    if (this.opts.onExhausted === 'throw') {
      throw new Error(`RollbackGuard: step ${index} still failed after ${this.opts.maxRetries} retries (last loss ${last})`);
    }
    return { accepted: false, skipped: true, attempts: this.opts.maxRetries + 1, loss: last, events };
  }

  private judge(out: StepOutcome): { reason: RollbackReason; threshold: number } | null {
    if (!Number.isFinite(out.loss)) return { reason: 'nonfinite-loss', threshold: NaN };
    if (out.gradNorm !== undefined && !Number.isFinite(out.gradNorm)) return { reason: 'nonfinite-grad-norm', threshold: NaN };
    const lossLimit = this.limit(this.losses);
    if (out.loss > lossLimit) return { reason: 'loss-spike', threshold: lossLimit };
    if (out.gradNorm !== undefined) {
      const normLimit = this.limit(this.norms);
      if (out.gradNorm > normLimit) return { reason: 'grad-norm-spike', threshold: normLimit };
    }
    return null;
  }

  private limit(values: number[]): number {
    if (values.length < Math.max(1, this.opts.warmup)) return Infinity;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    return Math.max(mean + this.opts.spikeStd * sd, this.opts.spikeFactor * mean);
  }
}

function push(list: number[], v: number, window: number): void {
  list.push(v);
  while (list.length > window) list.shift();
}
