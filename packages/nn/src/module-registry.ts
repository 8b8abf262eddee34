import { Tensor } from '@backstep/tensor';
import { Parameter } from './parameter.js';

/**
 * The registries behind a module's attributes: parameters, buffers and child modules by name, in
 * insertion order (PyTorch's `_parameters`, `_buffers`, `_modules`). A `null` entry is a
 * registered slot without a value (e.g. `bias` of `Linear(..., { bias: false })`).
 */
export interface ModuleSlots<M> {
  /** Parameters by name. */
  readonly parameters: Map<string, Parameter | null>;
  /** Buffers (non-parameter tensors that are part of the state) by name. */
  readonly buffers: Map<string, Tensor | null>;
  /** Names of buffers left out of the state dict. */
  readonly nonPersistent: Set<string>;
  /** Child modules by name. */
  readonly modules: Map<string, M | null>;
}

/** Creates empty registries. */
export function emptySlots<M>(): ModuleSlots<M> {
  return { parameters: new Map(), buffers: new Map(), nonPersistent: new Set(), modules: new Map() };
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/**
 * PyTorch's `Module.__setattr__`: decides what assigning `value` to attribute `name` registers,
 * updates the registries and returns the value to store as the own property.
 *
 * - a `Parameter` becomes (or replaces) a parameter, dropping a buffer/module of that name;
 * - a `Module` (`isModule`) becomes a child module, dropping a parameter/buffer of that name;
 * - `null` assigned to a registered parameter/module/buffer slot keeps the slot empty;
 * - a plain `Tensor` assigned to a registered buffer replaces the buffer;
 * - `undefined` assigned to a registered slot keeps the current value (so a subclass's class
 *   field declaration cannot wipe what the base class registered; assign `null` to clear);
 * - anything else assigned to a registered parameter or module slot throws a `TypeError`;
 * - other values are plain attributes.
 */
export function assignAttribute<M>(slots: ModuleSlots<M>, name: string, value: unknown, isModule: (v: unknown) => v is M): unknown {
  const { parameters, buffers, nonPersistent, modules } = slots;
  if (value === undefined) {
    if (parameters.has(name)) return parameters.get(name);
    if (modules.has(name)) return modules.get(name);
    if (buffers.has(name)) return buffers.get(name);
    return value;
  }
  if (value instanceof Parameter) {
    buffers.delete(name);
    nonPersistent.delete(name);
    modules.delete(name);
    parameters.set(name, value);
    return value;
  }
  if (parameters.has(name)) {
    if (value !== null) {
      throw new TypeError(`cannot assign '${typeName(value)}' as parameter '${name}' (Parameter or null expected; wrap a tensor with new Parameter(t))`);
    }
    parameters.set(name, null);
    return null;
  }
  if (isModule(value)) {
    buffers.delete(name);
    nonPersistent.delete(name);
    modules.set(name, value);
    return value;
  }
  if (modules.has(name)) {
    if (value !== null) throw new TypeError(`cannot assign '${typeName(value)}' as child module '${name}' (Module or null expected)`);
    modules.set(name, null);
    return null;
  }
  if (buffers.has(name)) {
    if (value !== null && !(value instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typeName(value)}' as buffer '${name}' (Tensor or null expected)`);
    }
    buffers.set(name, value);
    return value;
  }
  return value;
}

/** Forgets a registered attribute (PyTorch's `__delattr__`). */
export function deleteAttribute<M>(slots: ModuleSlots<M>, name: string): void {
  slots.parameters.delete(name);
  slots.buffers.delete(name);
  slots.nonPersistent.delete(name);
  slots.modules.delete(name);
}

/** Throws unless `name` can name a parameter, buffer or module. */
export function checkSlotName(name: unknown, kind: string): asserts name is string {
  if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string, got ${typeName(name)}`);
  if (name === '') throw new Error(`${kind} name can't be empty string ""`);
  if (name.includes('.')) throw new Error(`${kind} name can't contain ".", got "${name}"`);
}

/**
 * PyTorch's "attribute already exists" check, except that a plain attribute holding `undefined` or
 * `null` (e.g. a class field declared before registration) may be turned into a slot.
 */
export function assertFreeAttribute(m: object, name: string): void {
  const v = (m as Record<string, unknown>)[name];
  if (name in m && v !== undefined && v !== null) throw new Error(`attribute '${name}' already exists`);
}
