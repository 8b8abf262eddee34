import { isModule, Module } from '../module.js';
import { normalizeIndex } from './index-utils.js';

/**
 * A chain of modules (PyTorch's `nn.Sequential`): `forward(x)` feeds `x` through each child in
 * order, calling each with `call` (so hooks run). Children are named `'0'`, `'1'`, ... or, when
 * built from an object/`Map`, by its keys:
 *
 * ```ts
 * const net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * const named = new Sequential({ fc: new Linear(4, 8), act: new ReLU() });
 * ```
 */
export class Sequential extends Module {
  /** Builds from modules, or from one object / `Map` of named modules. */
  constructor(...modules: Module[] | [Record<string, Module> | ReadonlyMap<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && first !== undefined && !isModule(first)) {
      const entries = first instanceof Map ? [...first] : Object.entries(first as Record<string, Module>);
      for (const [name, m] of entries) this.registerModule(name, m as Module);
    } else {
      (modules as Module[]).forEach((m, i) => {
        if (!isModule(m)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
        this.registerModule(String(i), m);
      });
    }
  }

  /** The number of children. */
  get length(): number {
    return this._slots.modules.size;
  }

  /** The child at position `index` (negative counts from the end). */
  get(index: number): Module {
    const list = [...this._slots.modules.values()];
    return list[normalizeIndex(index, list.length, 'Sequential')] as Module;
  }

  /** Appends a module (named by its position). Returns this container. */
  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  /** Iterates over the children in order. */
  *[Symbol.iterator](): Iterator<Module> {
    for (const m of this._slots.modules.values()) if (m !== null) yield m;
  }

  /** Feeds the input through every child in order. */
  forward(input: unknown): any {
    let x = input;
    for (const m of this._slots.modules.values()) if (m !== null) x = m.call(x);
    return x;
  }
}
