import { isModule, Module } from '../module.js';

/** Submodules by key, in insertion order (PyTorch's `nn.ModuleDict`). It has no `forward`. */
export class ModuleDict<M extends Module = Module> extends Module {
  /** Builds from an object or `Map` of modules. */
  constructor(modules: Readonly<Record<string, M>> | ReadonlyMap<string, M> = {}) {
    super();
    const entries = modules instanceof Map ? [...modules] : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m as M);
  }

  /** The number of modules. */
  get size(): number {
    return this._slots.modules.size;
  }

  /** The module under `key` (throws when absent). */
  get(key: string): M {
    const m = this._slots.modules.get(key);
    if (m === undefined || m === null) throw new Error(`ModuleDict has no key '${key}'`);
    return m as M;
  }

  /** Sets (registers) the module under `key`. */
  set(key: string, module: M): void {
    if (!isModule(module)) throw new TypeError(`ModuleDict.set: expected a Module for key '${key}'`);
    this.registerModule(key, module);
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this._slots.modules.has(key);
  }

  /** Removes the module under `key`; returns it. */
  delete(key: string): M {
    const m = this.get(key);
    delete (this as Record<string, unknown>)[key];
    return m;
  }

  /** The keys in order. */
  keys(): string[] {
    return [...this._slots.modules.keys()];
  }

  /** The modules in order. */
  values(): M[] {
    return [...this._slots.modules.values()] as M[];
  }

  /** `[key, module]` pairs in order. */
  entries(): Array<[string, M]> {
    return [...this._slots.modules] as Array<[string, M]>;
  }

  /** Iterates over the keys, as PyTorch's `ModuleDict`. */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  /** A `ModuleDict` has no forward. */
  forward(): never {
    throw new Error('ModuleDict has no forward(); use its modules in the parent module');
  }
}
