import { zerosLike } from '@backstep/tensor';
import { buildParamGroup, normalizeParams } from './param-groups.js';
import { buildStateDict, cloneStateValue, copyHyper, disposeStateValue, planLoad } from './state-dict.js';
import type {
  Closure,
  ClosureResult,
  LoadStateDictOptions,
  OptimizerStateDict,
  Param,
  ParamGroup,
  ParamGroupInput,
  ParamsInput,
  ParamState,
  RemovableHandle,
  StateSchema,
  StepPostHook,
  StepPreHook,
} from './types.js';

/**
 * The bookkeeping base of every optimizer, modelled on `torch.optim.Optimizer`: param groups
 * with their hyperparameters, lazily created per-parameter state, `zeroGrad`, `step`, hooks and
 * versioned state dicts (`Stateful`). The math lives in the subclasses (one file per algorithm).
 *
 * Subclassing: pass your defaults to `super(params, defaults)`, override {@link validateGroup}
 * (hyperparameter checks), {@link stateSchema} (state entries, for `loadStateDict` validation)
 * and either {@link updateGroup} (the common case: called once per group after the closure ran)
 * or {@link performStep} (closure-driven algorithms such as LBFGS, which call the closure
 * themselves). Read per-parameter state with {@link stateOf}.
 *
 * @typeParam H - the hyperparameters every group holds (e.g. `{ lr, momentum, ... }`).
 */
export abstract class Optimizer<H extends object = Record<string, unknown>> {
  /** The constructor's hyperparameters (defaults for groups added later). */
  readonly defaults: H;
  /** The param groups: hyperparameters (schedulers may change them) and params. */
  readonly paramGroups: ParamGroup<H>[] = [];
  /** Per-parameter state, created lazily on a parameter's first update (keyed by the parameter). */
  readonly state = new Map<Param, ParamState>();
  /** The number of completed `step()` calls (the lr-scheduler checks it). */
  stepCount = 0;
  // Stored loosely so subclasses stay assignable to `Optimizer` (a `this`-typed field would make the class invariant).
  private readonly preHooks: StepPreHook<never>[] = [];
  private readonly postHooks: StepPostHook<never>[] = [];

  /**
   * @param params - tensors (one group) or param-group objects `{ params, ...overrides }`
   * @param defaults - every hyperparameter's value for groups that do not override it
   */
  constructor(params: ParamsInput<H>, defaults: H) {
    this.defaults = { ...defaults };
    const groups = normalizeParams(params);
    for (const g of groups) this.addParamGroup(g);
  }

  /** The optimizer's name in messages (its class name). */
  get name(): string {
    return this.constructor.name;
  }

  /**
   * Adds a param group (e.g. to fine-tune layers that were frozen). Missing hyperparameters
   * take the defaults; a parameter already in another group is an error.
   */
  addParamGroup(group: ParamGroupInput<H>): void {
    const g = buildParamGroup(group, this.defaults, this.paramGroups);
    this.validateGroup(g as Record<string, unknown>);
    this.paramGroups.push(g);
  }

  /**
   * Clears the gradients of all parameters. With `setToNone` (the default) `.grad` becomes null
   * and the old gradient tensor is disposed; otherwise it is filled with zeros (same object).
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const grad = p.grad;
        if (grad === null) continue;
        if (setToNone) {
          p.grad = null;
          grad.dispose();
        } else {
          p.engine.tidy(() => {
            grad.assignData(zerosLike(grad));
          });
        }
      }
    }
  }

  /**
   * Performs one optimization step: runs the pre-hooks, evaluates `closure` (if given) to get
   * the loss, updates every parameter that has a gradient, counts the step, runs the post-hooks
   * and returns the closure's loss.
   */
  step(closure?: Closure): ClosureResult | undefined {
    for (const h of [...this.preHooks]) (h as StepPreHook<this>)(this);
    const loss = this.performStep(closure);
    this.stepCount++;
    for (const h of [...this.postHooks]) (h as StepPostHook<this>)(this, loss);
    return loss;
  }

  /**
   * The asynchronous counterpart of {@link step} for subclasses that offer a `stepAsync` (LBFGS
   * reads scalars with `itemAsync` on backends without synchronous reads): runs the pre-hooks,
   * awaits `perform`, counts the step and runs the post-hooks, exactly as `step()` does.
   */
  protected async stepAsyncWith(perform: () => Promise<ClosureResult | undefined>): Promise<ClosureResult | undefined> {
    for (const h of [...this.preHooks]) (h as StepPreHook<this>)(this);
    const loss = await perform();
    this.stepCount++;
    for (const h of [...this.postHooks]) (h as StepPostHook<this>)(this, loss);
    return loss;
  }

  /**
   * The algorithm's step. The default evaluates the closure once and then calls
   * {@link updateGroup} for each group; closure-driven optimizers (LBFGS) override this.
   */
  protected performStep(closure?: Closure): ClosureResult | undefined {
    const loss = closure === undefined ? undefined : closure();
    for (const g of this.paramGroups) this.updateGroup(g);
    return loss;
  }

  /** Updates the parameters of one group that have a gradient (skipping `grad === null`). */
  protected updateGroup(group: ParamGroup<H>): void {
    void group;
    throw new Error(`${this.name} must override updateGroup() or performStep()`);
  }

  /** Checks a group's hyperparameters (throws a clear error). Called for every group added or loaded. */
  protected validateGroup(group: Record<string, unknown>): void {
    void group;
  }

  /**
   * The state entries a parameter of `group` has once it was updated, used to validate
   * `loadStateDict`. `null` (the default) checks only that tensors have the parameter's dtype.
   */
  protected stateSchema(group: Record<string, unknown>): StateSchema | null {
    void group;
    return null;
  }

  /** The parameters of a group that have a gradient. */
  protected paramsWithGrad(group: ParamGroup<H>): Param[] {
    return group.params.filter((p) => p.grad !== null);
  }

  /**
   * The state of `p`, created (empty) on first use. Tensors stored in it must be kept out of
   * tidy scopes (`engine.keep`); the optimizer owns and disposes them.
   */
  protected stateOf(p: Param): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /** Registers a hook run before each `step()`; returns a handle to remove it. */
  registerStepPreHook(hook: StepPreHook<this>): RemovableHandle {
    return addHook(this.preHooks, hook);
  }

  /** Registers a hook run after each `step()` (with the closure's loss); returns a handle to remove it. */
  registerStepPostHook(hook: StepPostHook<this>): RemovableHandle {
    return addHook(this.postHooks, hook);
  }

  /**
   * A deep copy of the optimizer's state (contract 4): `{ version: 1, state: { [paramIndex]:
   * {...} }, paramGroups: [{ ...hyperparameters, params: [indices] }] }`. Tensors are cloned, so
   * later steps never change a saved dict. Convert with `toPyTorchStateDict` for PyTorch's layout.
   */
  stateDict(): OptimizerStateDict {
    return buildStateDict(this.paramGroups, this.state);
  }

  /**
   * Restores a state dict saved by {@link stateDict} (of an optimizer of the same kind over
   * parameters of the same shapes and dtypes). Everything is validated first: group count and
   * sizes, hyperparameters, every state entry's presence, shape, dtype and backend. An invalid
   * dict throws a clear error and changes nothing. Tensors are copied, never aliased.
   */
  loadStateDict(sd: OptimizerStateDict, options: LoadStateDictOptions = {}): void {
    const plan = planLoad(
      sd,
      this.paramGroups,
      (g) => this.stateSchema(g),
      (g) => this.validateGroup(g),
      options.strict ?? true,
    );
    const fresh = new Map<Param, ParamState>();
    for (const [p, entry] of plan.state) {
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(entry)) copy[k] = cloneStateValue(v, true);
      fresh.set(p, copy);
    }
    for (const s of this.state.values()) for (const v of Object.values(s)) disposeStateValue(v);
    this.state.clear();
    for (const [p, s] of fresh) this.state.set(p, s);
    this.paramGroups.forEach((g, i) => {
      const params = g.params;
      for (const k of Object.keys(g)) if (k !== 'params') delete (g as Record<string, unknown>)[k];
      Object.assign(g, copyHyper(plan.hyper[i]!), { params });
    });
  }

  /** Disposes every state tensor and forgets the state (the parameters are left alone). */
  dispose(): void {
    for (const s of this.state.values()) for (const v of Object.values(s)) disposeStateValue(v);
    this.state.clear();
  }
}

function addHook<F>(list: F[], hook: F): RemovableHandle {
  list.push(hook);
  let removed = false;
  return {
    remove: () => {
      if (removed) return;
      removed = true;
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    },
  };
}
