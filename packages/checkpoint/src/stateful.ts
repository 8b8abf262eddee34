/**
 * The Stateful contract (DESIGN.md contract 4): anything whose state can be captured as a state
 * dict and restored from one — modules, optimizers, schedulers, random generators, user extras.
 * A failed `loadStateDict` must leave the object unchanged (validate first, then apply).
 */
export interface Stateful {
  /** A deep copy of the state (tensors, numbers, strings, plain objects and arrays). */
  stateDict(): unknown;
  /** Restores a state dict taken by `stateDict()`. */
  loadStateDict(sd: never, options?: { strict?: boolean }): unknown;
}

/** Whether `v` implements {@link Stateful}. */
export function isStateful(v: unknown): v is Stateful {
  return v !== null && typeof v === 'object' &&
    typeof (v as Stateful).stateDict === 'function' && typeof (v as Stateful).loadStateDict === 'function';
}

/** Named stateful objects, e.g. `{ model, optimizer, scheduler, generator }`. */
export type StatefulMap = Record<string, Stateful>;

/** Throws a clear error unless every entry of `objects` is Stateful. */
export function assertStatefulMap(objects: unknown, where: string): asserts objects is StatefulMap {
  if (objects === null || typeof objects !== 'object' || Array.isArray(objects)) {
    throw new TypeError(`${where}: expected an object of named Stateful objects, e.g. { model, optimizer }`);
  }
  const names = Object.keys(objects);
  if (names.length === 0) throw new TypeError(`${where}: no objects given`);
  for (const [name, o] of Object.entries(objects)) {
    if (!isStateful(o)) throw new TypeError(`${where}: '${name}' is not Stateful (it needs stateDict() and loadStateDict())`);
  }
}

/**
 * Wraps a plain value (a data-loader cursor, an epoch counter, ...) as a Stateful extra.
 * `get` returns a JSON-like snapshot; `set` restores one.
 */
export function statefulValue<T>(get: () => T, set: (value: T) => void): Stateful {
  return {
    stateDict: () => structuredClone(get()),
    loadStateDict: (sd: never) => set(structuredClone(sd as T)),
  };
}

/**
 * Loads state dicts into several objects as one transaction: each object's current state is
 * captured first, and if any load throws, the objects already loaded are restored before the
 * error is rethrown — nothing is left half-changed.
 */
export function loadAll(objects: StatefulMap, sds: Record<string, unknown>, options: { strict?: boolean } = {}): void {
  const done: Array<[string, unknown]> = [];
  const names = Object.keys(objects);
  const before = new Map(names.map((n) => [n, (objects[n] as Stateful).stateDict()] as const));
  try {
    for (const n of names) {
      (objects[n] as Stateful).loadStateDict(sds[n] as never, options);
      done.push([n, sds[n]]);
    }
  } catch (e) {
    for (const [n] of done) (objects[n] as Stateful).loadStateDict(before.get(n) as never, options);
    throw e;
  }
}
