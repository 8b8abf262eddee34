/**
 * Value checks shared by the constructors (option validation) and `loadStateDict` (state
 * validation), so both report the same clear message.
 */
import type { SchedulableOptimizer } from './types.js';

/** A named predicate: `desc` completes "must be ..." in error messages. */
export interface Check {
  /** True when the value is acceptable. */
  test(v: unknown): boolean;
  /** What the value must be, e.g. `'a positive integer'`. */
  desc: string;
}

const isNum = (v: unknown): v is number => typeof v === 'number';

/** Any number, including ±Infinity and NaN (ReduceLROnPlateau's `best`). */
export const anyNumber: Check = { test: isNum, desc: 'a number' };
/** A finite number. */
export const finite: Check = { test: (v) => isNum(v) && Number.isFinite(v), desc: 'a finite number' };
/** A finite number > 0. */
export const positive: Check = { test: (v) => isNum(v) && Number.isFinite(v) && v > 0, desc: 'a positive finite number' };
/** An integer (any sign). */
export const integer: Check = { test: (v) => Number.isInteger(v), desc: 'an integer' };
/** An integer >= 0. */
export const nonNegativeInt: Check = { test: (v) => Number.isInteger(v) && (v as number) >= 0, desc: 'a non-negative integer' };
/** An integer >= 1. */
export const positiveInt: Check = { test: (v) => Number.isInteger(v) && (v as number) >= 1, desc: 'a positive integer' };
/** A boolean. */
export const bool: Check = { test: (v) => typeof v === 'boolean', desc: 'a boolean' };
/** `lastEpoch`: an integer >= -1. */
export const epochIndex: Check = { test: (v) => Number.isInteger(v) && (v as number) >= -1, desc: 'an integer >= -1' };

/** A finite number in [lo, hi] (`loOpen`: lo excluded). */
export function inRange(lo: number, hi: number, loOpen = false): Check {
  return {
    test: (v) => isNum(v) && Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && v <= hi,
    desc: `a number in ${loOpen ? '(' : '['}${lo}, ${hi}]`,
  };
}

/** One of the given strings. */
export function oneOf(values: readonly string[]): Check {
  return { test: (v) => typeof v === 'string' && values.includes(v), desc: `one of ${values.map((s) => `'${s}'`).join(', ')}` };
}

/** A list of `n` values passing `item`. */
export function listOf(item: Check, n?: number): Check {
  return {
    test: (v) => Array.isArray(v) && (n === undefined || v.length === n) && v.every((x) => item.test(x)),
    desc: `a list of ${n === undefined ? '' : `${n} `}values, each ${item.desc}`,
  };
}

/** `null` or a value passing `item`. */
export function nullable(item: Check): Check {
  return { test: (v) => v === null || item.test(v), desc: `null or ${item.desc}` };
}

/** A short rendering of a value for messages. */
export function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'number') return String(v);
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}

/** Throws `RangeError("<where>: <name> must be <desc>, got <v>")` unless `check` passes. */
export function checkArg<T>(where: string, name: string, v: unknown, check: Check): T {
  if (!check.test(v)) throw new RangeError(`${where}: ${name} must be ${check.desc}, got ${show(v)}`);
  return v as T;
}

/**
 * PyTorch's `_format_param`: one value per param group. A single number is repeated; a list must
 * have exactly one entry per group. Each value must pass `check`.
 */
export function perGroup(where: string, name: string, v: unknown, nGroups: number, check: Check = finite): number[] {
  if (Array.isArray(v)) {
    if (v.length !== nGroups) {
      throw new RangeError(`${where}: ${name} must have one value per param group: got ${v.length} values for ${nGroups} param groups`);
    }
    v.forEach((x, i) => checkArg(where, `${name}[${i}]`, x, check));
    return [...(v as number[])];
  }
  checkArg(where, name, v, check);
  return new Array<number>(nGroups).fill(v as number);
}

/** Checks that `optimizer` looks like an optimizer: `paramGroups` (each with a numeric `lr`) and `stepCount`. */
export function checkOptimizer(where: string, optimizer: unknown): SchedulableOptimizer {
  const o = optimizer as Partial<SchedulableOptimizer> | null;
  if (o === null || typeof o !== 'object' || !Array.isArray(o.paramGroups)) {
    throw new TypeError(`${where}: expected an optimizer with a 'paramGroups' list, got ${show(optimizer)}`);
  }
  if (o.paramGroups.length === 0) throw new TypeError(`${where}: the optimizer has no param groups`);
  o.paramGroups.forEach((g, i) => {
    if (g === null || typeof g !== 'object' || typeof g.lr !== 'number') {
      throw new TypeError(`${where}: paramGroups[${i}] has no numeric 'lr'`);
    }
  });
  if (typeof o.stepCount !== 'number') {
    throw new TypeError(`${where}: the optimizer has no numeric 'stepCount' (the count of completed optimizer.step() calls)`);
  }
  return o as SchedulableOptimizer;
}

/** Checks that a constructor's options argument is an object (or absent, when `optional`). */
export function optionsOf<T extends object>(where: string, options: T | undefined, optional = false): Partial<T> {
  if (options === undefined && optional) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: expected an options object, got ${show(options)}`);
  }
  return options;
}

/** `undefined` for `null` (golden files and JSON configs write "not given" as null). */
export function given<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}
