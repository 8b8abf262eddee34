/**
 * State-dict plumbing shared by every scheduler: a scheduler describes its fields as a
 * {@link StateSpec}; {@link buildStateDict} copies them out and {@link planLoad} validates a
 * state dict completely before returning the function that installs it (so a bad state dict
 * changes nothing).
 */
import type { LoadStateDictOptions, SchedulerStateDict } from './types.js';
import { show, type Check } from './validate.js';

/** How one state field is checked, read and written. */
export interface FieldSpec {
  /** The value a state dict must hold for this field. */
  check: Check;
  /** Reads the live value (copied by the caller). */
  get(): unknown;
  /** Installs a validated value (already copied). */
  set(v: unknown): void;
}

/** A scheduler's fields by stable name. */
export type StateSpec = Record<string, FieldSpec>;

/** Deep copy of plain state data (numbers, strings, booleans, null, arrays, plain objects). */
export function copyPlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => copyPlain(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyPlain(x);
    return out as T;
  }
  return v;
}

/** A field stored in `obj[key]` under the same name (protected properties included). */
export function prop(obj: object, key: string, check: Check): FieldSpec {
  const rec = obj as unknown as Record<string, unknown>;
  return {
    check,
    get: () => rec[key],
    set: (v) => {
      rec[key] = v;
    },
  };
}

/** Copies the fields of `spec` into a versioned state dict. */
export function buildStateDict(type: string, spec: StateSpec): SchedulerStateDict {
  const sd: SchedulerStateDict = { version: 1, type };
  for (const [name, f] of Object.entries(spec)) sd[name] = copyPlain(f.get());
  return sd;
}

/** The error thrown for a bad state dict. */
export function loadError(type: string, msg: string): Error {
  return new Error(`${type}.loadStateDict: ${msg}`);
}

/**
 * Checks the envelope of a state dict (an object, `version: 1`, the right `type`) and returns it
 * as a record.
 */
export function checkEnvelope(type: string, sd: unknown): Record<string, unknown> {
  if (sd === null || typeof sd !== 'object' || Array.isArray(sd)) throw loadError(type, `expected a state dict object, got ${show(sd)}`);
  const d = sd as Record<string, unknown>;
  if (!('version' in d) && ('last_epoch' in d || '_last_lr' in d || 'base_lrs' in d)) {
    throw loadError(type, 'this looks like a PyTorch scheduler state dict (snake_case keys); convert it with fromPyTorchSchedulerStateDict first');
  }
  if (d['version'] !== 1) throw loadError(type, `unsupported state dict version ${show(d['version'])} (expected 1)`);
  if (d['type'] !== type) throw loadError(type, `the state dict belongs to a ${show(d['type'])}, not to a '${type}'`);
  return d;
}

/**
 * Validates `sd` against `spec` (every field present and valid; unknown fields are errors when
 * `strict`) and returns a function that installs copies of the values. Throws before changing
 * anything. `extraKeys` are fields the caller handles itself (allowed, not installed here).
 */
export function planLoad(
  type: string,
  sd: unknown,
  spec: StateSpec,
  options: LoadStateDictOptions = {},
  extraKeys: readonly string[] = [],
): () => void {
  const d = checkEnvelope(type, sd);
  const strict = options.strict ?? true;
  if (strict) {
    const known = new Set(['version', 'type', ...Object.keys(spec), ...extraKeys]);
    const unknown = Object.keys(d).filter((k) => !known.has(k));
    if (unknown.length) {
      throw loadError(type, `unexpected field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (pass { strict: false } to ignore)`);
    }
  }
  for (const [name, f] of Object.entries(spec)) {
    if (!(name in d)) throw loadError(type, `missing field '${name}'`);
    if (!f.check.test(d[name])) throw loadError(type, `'${name}' must be ${f.check.desc}, got ${show(d[name])}`);
  }
  const values = Object.keys(spec).map((name) => copyPlain(d[name]));
  return () => {
    Object.values(spec).forEach((f, i) => f.set(values[i]));
  };
}
