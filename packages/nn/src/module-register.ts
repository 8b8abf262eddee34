import { Tensor } from '@backstep/tensor';
import { assertFreeAttribute, checkSlotName, type ModuleSlots } from './module-registry.js';
import { Parameter } from './parameter.js';

/**
 * What the explicit registration helpers need of a module: its registries. Pass the module's
 * registering proxy (a method's `this`), so the final assignment is recorded by the proxy's
 * `defineProperty` trap exactly as a plain property assignment would be.
 */
export interface RegisterTarget<M> {
  /** Parameters, buffers and child modules by name. */
  readonly _slots: ModuleSlots<M>;
}

function assign(owner: object, name: string, value: unknown): void {
  (owner as Record<string, unknown>)[name] = value;
}

/** `Module.registerParameter`: registers a parameter (or an empty `null` slot) under `name`. */
export function registerParameterOn<M>(owner: RegisterTarget<M>, name: string, param: Parameter | null): void {
  checkSlotName(name, 'parameter');
  if (param !== null && !(param instanceof Parameter)) {
    throw new TypeError(`registerParameter: cannot assign '${typeof param}' object to parameter '${name}' (Parameter or null required)`);
  }
  if (!owner._slots.parameters.has(name)) assertFreeAttribute(owner, name);
  if (!owner._slots.parameters.has(name)) owner._slots.parameters.set(name, null);
  assign(owner, name, param);
}

/**
 * `Module.registerBuffer`: registers a buffer (a non-parameter state tensor, or `null`) under
 * `name`; `persistent: false` leaves it out of the state dict.
 */
export function registerBufferOn<M>(owner: RegisterTarget<M>, name: string, value: Tensor | null, persistent: boolean): void {
  checkSlotName(name, 'buffer');
  if (value !== null && !(value instanceof Tensor)) {
    throw new TypeError(`registerBuffer: cannot assign '${typeof value}' object to buffer '${name}' (Tensor or null required)`);
  }
  if (value instanceof Parameter) throw new TypeError(`registerBuffer: '${name}' is a Parameter; use registerParameter`);
  if (!owner._slots.buffers.has(name)) assertFreeAttribute(owner, name);
  owner._slots.buffers.set(name, value);
  if (persistent) owner._slots.nonPersistent.delete(name);
  else owner._slots.nonPersistent.add(name);
  assign(owner, name, value);
}

/**
 * `Module.registerModule`: registers a child module (or an empty `null` slot) under `name`.
 * `isModule` is passed in so this file need not import `Module` (which imports it).
 */
export function registerModuleOn<M>(owner: RegisterTarget<M>, name: string, module: M | null, isModule: (v: unknown) => v is M): void {
  checkSlotName(name, 'module');
  if (module !== null && !isModule(module)) throw new TypeError(`registerModule: ${String(module)} is not a Module subclass`);
  if (!owner._slots.modules.has(name)) assertFreeAttribute(owner, name);
  if (!owner._slots.modules.has(name)) owner._slots.modules.set(name, null);
  assign(owner, name, module);
}
