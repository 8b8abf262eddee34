import { ADVANCE, PLAN_LOAD } from './internal.js';
import { LRScheduler } from './lr-scheduler.js';
import { checkEnvelope, loadError, planLoad, type StateSpec } from './state.js';
import type { LoadStateDictOptions, SchedulableOptimizer, SchedulerStateDict } from './types.js';
import { show } from './validate.js';

/** Checks that `schedulers` is a non-empty list of LRSchedulers on `optimizer` (default: the first one's). */
export function checkChildren(where: string, schedulers: unknown, optimizer?: SchedulableOptimizer): LRScheduler[] {
  if (!Array.isArray(schedulers) || schedulers.length === 0) throw new TypeError(`${where}: expected a non-empty list of schedulers, got ${show(schedulers)}`);
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw new TypeError(`${where}: schedulers[${i}] is not an LRScheduler (ReduceLROnPlateau cannot be combined)`);
  });
  const list = schedulers as LRScheduler[];
  const opt = optimizer ?? list[0]!.optimizer;
  list.forEach((s, i) => {
    if (s.optimizer !== opt) {
      throw new Error(`${where}: expects all schedulers to belong to the same optimizer, but schedulers[${i}] drives a different one`);
    }
  });
  return list;
}

/**
 * The base of the schedulers that drive child schedulers (`ChainedScheduler`, `SequentialLR`):
 * the children compute the lrs, the state dict holds one state dict per child
 * (`schedulers`), and loading validates this scheduler's fields and every child's state dict
 * before installing any. Subclasses validate their children with {@link checkChildren} and
 * implement `[ADVANCE]`.
 */
export abstract class CompositeScheduler extends LRScheduler {
  /** The child schedulers. */
  abstract readonly schedulers: LRScheduler[];

  /** Not used: the children compute the lrs. */
  protected override getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Advances the children (see the class). Call it after `optimizer.step()`. */
  override step(): void {
    this.checkOrder();
    this[ADVANCE]();
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** @internal Validates this scheduler's fields and every child's state dict before installing any. */
  override [PLAN_LOAD](sd: unknown, options: LoadStateDictOptions = {}): () => void {
    const commit = planWithChildren(this.type, sd, this.stateSpec(), this.schedulers, options);
    return () => {
      commit();
      this.disarmOrderCheck();
    };
  }
}

/** Validates own fields and `schedulers` (one state per child), then returns the installer of all. */
function planWithChildren(
  type: string,
  sd: unknown,
  spec: StateSpec,
  children: readonly LRScheduler[],
  options: LoadStateDictOptions,
): () => void {
  const d = checkEnvelope(type, sd);
  const own = planLoad(type, sd, spec, options, ['schedulers']);
  const list = d['schedulers'];
  if (!Array.isArray(list) || list.length !== children.length) {
    throw loadError(type, `'schedulers' must be a list of ${children.length} child state dicts, got ${show(list)}`);
  }
  const plans = children.map((c, i) => {
    try {
      return c[PLAN_LOAD](list[i], options);
    } catch (e) {
      throw loadError(type, `schedulers[${i}]: ${(e as Error).message}`);
    }
  });
  return () => {
    own();
    for (const p of plans) p();
  };
}
