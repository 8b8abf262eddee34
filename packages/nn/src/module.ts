import type { Tensor } from '@backstep/tensor';
import { zeroGrads } from './module-grad.js';
import { registerBufferOn, registerModuleOn, registerParameterOn } from './module-register.js';
import { assignAttribute, deleteAttribute, emptySlots, type ModuleSlots } from './module-registry.js';
import { addHook, runWithHooks, type ForwardHook, type ForwardPreHook, type RemovableHandle } from './module-hooks.js';
import { moveModuleTensors, type ToTarget } from './module-to.js';
import { namedMembersOf, namedModulesOf, parameterAt, renderModule, stateTensorsOf, submoduleAt } from './module-traversal.js';
import type { Parameter } from './parameter.js';
import { collectStateDict, loadStateInto, type LoadStateDictResult, type StateDictInput } from './state-dict.js';

export type { ForwardHook, ForwardPreHook, RemovableHandle } from './module-hooks.js';

/** Options of the `named*` iterators. */
export interface NamedOptions {
  /** Prepended (with a dot) to every name. */
  prefix?: string;
  /** Include submodules (default true). */
  recurse?: boolean;
  /** Report an object reachable under several names only once (default true). */
  removeDuplicate?: boolean;
}

const proxyHandler: ProxyHandler<Module> = {
  defineProperty(target, key, desc) {
    if (typeof key === 'string' && 'value' in desc) {
      const value = assignAttribute(target._slots, key, desc.value, isModule);
      return Reflect.defineProperty(target, key, { ...desc, value });
    }
    return Reflect.defineProperty(target, key, desc);
  },
  deleteProperty(target, key) {
    if (typeof key === 'string') deleteAttribute(target._slots, key);
    return Reflect.deleteProperty(target, key);
  },
};

/** Whether `x` is a {@link Module}. */
export function isModule(x: unknown): x is Module {
  return x instanceof Module;
}

/**
 * Base class of all layers and models (PyTorch's `nn.Module`).
 *
 * Subclasses assign parameters and submodules to properties, and they are registered by name in
 * assignment order, as PyTorch's `__setattr__` does:
 *
 * ```ts
 * class Net extends Module<[Tensor], Tensor> {
 *   fc1 = new Linear(4, 8);
 *   scale = new Parameter(ones([1]));
 *   forward(x: Tensor) { return this.fc1.call(x).relu().mul(this.scale); }
 * }
 * ```
 *
 * This works because the constructor returns a `Proxy` whose `defineProperty` trap records every
 * assignment of a `Parameter`/`Module` (see `assignAttribute` for the exact rules: `null` keeps an
 * optional slot such as `bias` empty). `registerParameter`, `registerBuffer` and `registerModule`
 * do the same explicitly. Methods run with the proxy as `this`; subclasses' `#private` fields work
 * (they live on the proxy), so `Module` itself uses none.
 *
 * `TIn`/`TOut` type `forward`'s arguments and result; `call(...)` runs forward with hooks.
 */
export abstract class Module<TIn extends unknown[] = any[], TOut = any> {
  /** Whether the module is in training mode (see `train()` / `eval()`). */
  training = true;
  /** @internal Parameters, buffers and child modules by name. */
  readonly _slots: ModuleSlots<Module> = emptySlots<Module>();
  /** @internal */
  readonly _forwardHooks: ForwardHook[] = [];
  /** @internal */
  readonly _forwardPreHooks: ForwardPreHook[] = [];

  /** Returns the registering proxy of the new module (see the class documentation). */
  constructor() {
    return new Proxy(this, proxyHandler);
  }

  /** The computation of the module. Call it directly, or through {@link call} to run hooks. */
  abstract forward(...inputs: TIn): TOut;

  /** Runs forward pre-hooks, `forward`, then forward hooks (PyTorch's `module(x)`). */
  call(...inputs: TIn): TOut {
    return runWithHooks(this, inputs, this._forwardPreHooks, this._forwardHooks, (...args) => this.forward(...(args as TIn))) as TOut;
  }

  /** Registers a hook run after every `call`'s forward. */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return addHook(this._forwardHooks, hook);
  }

  /** Registers a hook run before every `call`'s forward. */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return addHook(this._forwardPreHooks, hook);
  }

  // ---- registration ---------------------------------------------------------------------------

  /** Registers a parameter (or an empty `null` slot) under `name`; same as assigning it. */
  registerParameter(name: string, param: Parameter | null): void {
    registerParameterOn(this, name, param);
  }

  /**
   * Registers a buffer: a tensor that is part of the module's state but not a parameter (e.g.
   * running statistics). `persistent: false` leaves it out of `stateDict()`.
   */
  registerBuffer(name: string, value: Tensor | null, options: { persistent?: boolean } = {}): void {
    registerBufferOn(this, name, value, options.persistent !== false);
  }

  /** Registers a child module (or an empty `null` slot) under `name`; same as assigning it. */
  registerModule(name: string, module: Module | null): void {
    registerModuleOn<Module>(this, name, module, isModule);
  }

  /** Alias of {@link registerModule} (PyTorch's `add_module`). */
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }

  // ---- traversal ------------------------------------------------------------------------------

  /** `[name, module]` for this module and every submodule, pre-order (this one is named `prefix`). */
  namedModules(options: { prefix?: string; removeDuplicate?: boolean } = {}): Array<[string, Module]> {
    return namedModulesOf<Module>(this, options.prefix ?? '', options.removeDuplicate ?? true);
  }

  /** This module and every submodule, pre-order, each once. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** `[name, child]` for the direct children, each once. */
  namedChildren(): Array<[string, Module]> {
    const seen = new Set<Module>();
    const out: Array<[string, Module]> = [];
    for (const [name, m] of this._slots.modules) {
      if (m !== null && !seen.has(m)) {
        seen.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }

  /** The direct children, each once. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  private namedMembers<T>(pick: (m: Module) => Iterable<[string, T | null]>, options: NamedOptions): Array<[string, T]> {
    const dedup = options.removeDuplicate ?? true;
    const prefix = options.prefix ?? '';
    const mods: Array<[string, Module]> = (options.recurse ?? true) ? namedModulesOf<Module>(this, prefix, dedup) : [[prefix, this]];
    return namedMembersOf(mods, pick, dedup);
  }

  /** `[dottedName, parameter]` pairs (`'0.weight'`, `'lin1.bias'`, `'params.0'`), each parameter once. */
  namedParameters(options: NamedOptions = {}): Array<[string, Parameter]> {
    return this.namedMembers((m) => m._slots.parameters, options);
  }

  /** The parameters (of submodules too unless `recurse` is false), each once. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters({ recurse }).map(([, p]) => p);
  }

  /** `[dottedName, buffer]` pairs, each buffer once. */
  namedBuffers(options: NamedOptions = {}): Array<[string, Tensor]> {
    return this.namedMembers((m) => m._slots.buffers, options);
  }

  /** The buffers (of submodules too unless `recurse` is false), each once. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers({ recurse }).map(([, b]) => b);
  }

  /** The submodule at a dotted path (`'encoder.0'`); `''` is this module. */
  getSubmodule(target: string): Module {
    return submoduleAt<Module>(this, target);
  }

  /** The parameter at a dotted path (`'encoder.0.weight'`). */
  getParameter(target: string): Parameter {
    return parameterAt(this, target);
  }

  // ---- modes and gradients ----------------------------------------------------------------------

  /** Sets training mode on this module and every submodule. Returns this module. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError('training mode is expected to be boolean');
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`). Returns this module. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears the parameters' gradients. With `setToNone` (the default, as PyTorch 2) `.grad`
   * becomes null and the old gradient tensor is disposed (Backstep frees buffers explicitly; clone
   * a gradient first if you need it afterwards); otherwise gradients are zeroed in place.
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    zeroGrads(this.parameters(), options.setToNone ?? true);
  }

  /** Sets `requiresGrad` on every parameter (PyTorch's `requires_grad_`). Returns this module. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** Calls `fn` on every submodule (children first) and then on this module. Returns this module. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Moves and/or casts the parameters and buffers: `to('float64')`, `to('webgpu')`,
   * `to({ dtype, backend })`. Dtype casts apply to floating-point tensors only (as PyTorch).
   * A tensor's dtype and backend are fixed, so each changed parameter is *replaced* by a new
   * `Parameter` registered under the same name (keeping `requiresGrad` and a converted `.grad`);
   * unchanged ones keep their identity. Build optimizers after calling `to()`. Returns this module.
   */
  to(target: ToTarget): this {
    moveModuleTensors(this.modules(), target);
    return this;
  }

  /** `to('float64')`. */
  double(): this {
    return this.to('float64');
  }

  /** `to('float32')`. */
  float(): this {
    return this.to('float32');
  }

  // ---- state ------------------------------------------------------------------------------------

  /**
   * `[dottedName, tensor]` of what `stateDict()` saves: per module (pre-order) its non-null
   * parameters, then its persistent non-null buffers. Shared tensors appear under each name.
   */
  namedStateTensors(prefix = ''): Array<[string, Tensor]> {
    return stateTensorsOf(this, prefix);
  }

  /**
   * A plain object `{ [dottedName]: Tensor }` of detached copies of the parameters and persistent
   * buffers (copies, so later training never changes a snapshot).
   */
  stateDict(): Record<string, Tensor> {
    return collectStateDict(this.namedStateTensors());
  }

  /**
   * Copies a state dict into the parameters and buffers (keeping their identity). Values may be
   * tensors or `{ shape, data }` objects. Everything is validated before anything is copied:
   * missing/unexpected keys (errors when `strict`, the default), shapes and dtypes; a failed load
   * leaves the module unchanged. Returns the missing and unexpected keys.
   */
  loadStateDict(stateDict: StateDictInput, options: { strict?: boolean } = {}): LoadStateDictResult {
    return loadStateInto(this.namedStateTensors(), stateDict, options.strict ?? true, this.constructor.name);
  }

  // ---- printing -----------------------------------------------------------------------------------

  /** Extra text inside this module's `toString()` parentheses (e.g. `inFeatures=2, ...`). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch-style rendering of the module tree. */
  toString(): string {
    return renderModule(this.constructor.name, this.extraRepr(), [...this._slots.modules]);
  }
}
