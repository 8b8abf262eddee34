import { isModule, Module } from '../module.js';
import { normalizeIndex } from './index-utils.js';

/**
 * A list of submodules, registered as `'0'`, `'1'`, ... (PyTorch's `nn.ModuleList`). Indexable
 * with `get(i)` (negative counts from the end), iterable, with `length`. It has no `forward`.
 */
export class ModuleList<M extends Module = Module> extends Module {
  /** Builds from an iterable of modules. */
  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** The number of modules. */
  get length(): number {
    return this._slots.modules.size;
  }

  /** The module at `index`. */
  get(index: number): M {
    return this._slots.modules.get(String(normalizeIndex(index, this.length, 'ModuleList'))) as M;
  }

  /** Replaces the module at `index`. */
  set(index: number, module: M): void {
    if (!isModule(module)) throw new TypeError('ModuleList.set: expected a Module');
    this.registerModule(String(normalizeIndex(index, this.length, 'ModuleList')), module);
  }

  /** Appends a module. Returns this list. */
  append(module: M): this {
    if (!isModule(module)) throw new TypeError(`ModuleList: expected a Module, got ${typeof module}`);
    this.registerModule(String(this.length), module);
    return this;
  }

  /** Appends several modules. Returns this list. */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts a module before position `index` (renumbering the following ones). */
  insert(index: number, module: M): void {
    const list = [...this];
    const i = Math.max(0, Math.min(list.length, index < 0 ? index + list.length : index));
    list.splice(i, 0, module);
    this.replaceAll(list);
  }

  /** Removes and returns the module at `index` (renumbering the following ones). */
  pop(index = -1): M {
    const list = [...this];
    const [m] = list.splice(normalizeIndex(index, list.length, 'ModuleList'), 1);
    this.replaceAll(list);
    return m as M;
  }

  private replaceAll(list: M[]): void {
    for (const k of [...this._slots.modules.keys()]) delete (this as Record<string, unknown>)[k];
    list.forEach((m, i) => this.registerModule(String(i), m));
  }

  /** Iterates over the modules in order. */
  *[Symbol.iterator](): Iterator<M> {
    for (const m of this._slots.modules.values()) if (m !== null) yield m as M;
  }

  /** A `ModuleList` has no forward; iterate over it in the parent's forward instead. */
  forward(): never {
    throw new Error('ModuleList has no forward(); iterate over it in the parent module');
  }
}
