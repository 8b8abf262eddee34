import { fmtShape, isFloat, shapesEqual, sizeOf, Tensor, toArrayOf, type DType } from '@backstep/tensor';
import { withNoGrad } from './no-grad.js';

/**
 * A state-dict value as `loadStateDict` accepts it: a tensor, or a `{ shape, data }` object (nested
 * or flat data; an optional `dtype` is checked: a Backstep dtype, or `'float'`/`'int64'` as in JSON files).
 */
export type StateDictValue = Tensor | { shape: readonly number[]; data: unknown; dtype?: DType | 'float' | 'int64' };

/** A state dict to load: a plain object or a `Map` from dotted names to values. */
export type StateDictInput = Readonly<Record<string, StateDictValue>> | ReadonlyMap<string, StateDictValue>;

/** What `loadStateDict` returns (PyTorch's `_IncompatibleKeys`). */
export interface LoadStateDictResult {
  /** Keys the module expects that the state dict lacks. */
  missingKeys: string[];
  /** Keys of the state dict the module does not have. */
  unexpectedKeys: string[];
}

/**
 * Detached snapshots of `entries`, as a plain object in entry order. They share the live
 * buffers copy-on-write (`Tensor.share()`): O(1), and later training never changes them.
 */
export function collectStateDict(entries: ReadonlyArray<readonly [string, Tensor]>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of entries) out[name] = t.share();
  return out;
}

/** Flattens nested arrays / typed arrays of numbers, booleans and the strings "NaN", "Infinity", "-Infinity". */
export function flattenData(data: unknown): number[] | string {
  const out: number[] = [];
  let problem: string | null = null;
  const walk = (d: unknown): void => {
    if (problem !== null) return;
    if (Array.isArray(d)) for (const x of d) walk(x);
    else if (ArrayBuffer.isView(d) && !(d instanceof DataView)) {
      const arr = d as unknown as ArrayLike<number>;
      for (let i = 0; i < arr.length; i++) out.push(Number(arr[i]));
    }
    else if (typeof d === 'number') out.push(d);
    else if (typeof d === 'boolean') out.push(d ? 1 : 0);
    else if (d === 'NaN' || d === 'Infinity' || d === '-Infinity') out.push(Number(d));
    else problem = `data holds a non-numeric value (${JSON.stringify(d)})`;
  };
  walk(data);
  return problem ?? out;
}

/**
 * Whether a `{ shape, data, dtype }` object's dtype fits the target: a Backstep dtype must be equal;
 * the generic names of the golden/JSON formats (`'float'`, `'int64'`, `'int'`) match the kind.
 */
function dtypeMatches(given: unknown, target: DType): boolean {
  if (given === target) return true;
  if (given === 'float') return isFloat(target);
  if (given === 'int64' || given === 'int') return target === 'int32';
  return false;
}

type Prepared = { target: Tensor; value: Tensor } | { target: Tensor; values: number[] };

function prepare(key: string, target: Tensor, value: unknown, errors: string[]): Prepared | null {
  const sizeMismatch = (shape: readonly number[]): string =>
    `size mismatch for ${key}: copying a param with shape ${fmtShape(shape)} from checkpoint, the shape in current model is ${fmtShape(target.shape)}.`;
  if (value instanceof Tensor) {
    if (value.isDisposed) {
      errors.push(`value for ${key} is a disposed tensor.`);
      return null;
    }
    if (!shapesEqual(value.shape, target.shape)) {
      errors.push(sizeMismatch(value.shape));
      return null;
    }
    if (value.dtype !== target.dtype) {
      errors.push(`dtype mismatch for ${key}: copying a param of dtype ${value.dtype} from checkpoint, the dtype in current model is ${target.dtype} (convert with .to('${target.dtype}')).`);
      return null;
    }
    return { target, value };
  }
  const obj = value as { shape?: unknown; data?: unknown; dtype?: unknown } | null;
  if (obj === null || typeof obj !== 'object' || !Array.isArray(obj.shape) || !('data' in obj)) {
    errors.push(`value for ${key} must be a Tensor or a {shape, data} object, got ${obj === null ? 'null' : typeof obj}.`);
    return null;
  }
  const shape = obj.shape as unknown[];
  if (shape.some((d) => !Number.isInteger(d) || (d as number) < 0)) {
    errors.push(`value for ${key} has an invalid shape ${JSON.stringify(shape)}.`);
    return null;
  }
  if (!shapesEqual(shape as number[], target.shape)) {
    errors.push(sizeMismatch(shape as number[]));
    return null;
  }
  if (obj.dtype !== undefined && !dtypeMatches(obj.dtype, target.dtype)) {
    errors.push(`dtype mismatch for ${key}: copying a param of dtype ${String(obj.dtype)} from checkpoint, the dtype in current model is ${target.dtype}.`);
    return null;
  }
  const values = flattenData(obj.data);
  if (typeof values === 'string') {
    errors.push(`value for ${key}: ${values}.`);
    return null;
  }
  if (values.length !== sizeOf(target.shape)) {
    errors.push(`value for ${key} has ${values.length} elements but shape ${fmtShape(target.shape)} holds ${sizeOf(target.shape)}.`);
    return null;
  }
  return { target, values };
}

/**
 * Validates `stateDict` against the module's state entries and, only when everything is valid,
 * copies the values into the existing tensors (keeping their identity) under no-grad.
 * Throws one error listing every problem, in PyTorch's wording.
 */
export function loadStateInto(
  entries: ReadonlyArray<readonly [string, Tensor]>,
  stateDict: StateDictInput,
  strict: boolean,
  moduleName: string,
): LoadStateDictResult {
  if (stateDict === null || typeof stateDict !== 'object') {
    throw new TypeError(`Expected state_dict to be a plain object or a Map, got ${stateDict === null ? 'null' : typeof stateDict}.`);
  }
  const provided = new Map<string, unknown>(stateDict instanceof Map ? [...stateDict] : Object.entries(stateDict));
  const expected = new Set(entries.map(([k]) => k));
  const missingKeys = entries.map(([k]) => k).filter((k, i, all) => !provided.has(k) && all.indexOf(k) === i);
  const unexpectedKeys = [...provided.keys()].filter((k) => !expected.has(k));
  const errors: string[] = [];
  if (strict) {
    if (unexpectedKeys.length > 0) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
    if (missingKeys.length > 0) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
  }
  const work: Prepared[] = [];
  for (const [key, target] of entries) {
    if (!provided.has(key)) continue;
    const p = prepare(key, target, provided.get(key), errors);
    if (p !== null) work.push(p);
  }
  if (errors.length > 0) {
    throw new Error(`Error(s) in loading state_dict for ${moduleName}:\n\t${errors.join('\n\t')}`);
  }
  withNoGrad(() => {
    for (const w of work) {
      const t = w.target;
      const src =
        'value' in w
          ? w.value.backendName === t.backendName
            ? w.value.share()
            : w.value.to(t.backendName)
          : t.engine.makeTensor(toArrayOf(t.dtype, w.values), t.shape, t.dtype, t.backendName);
      t.assignData(src);
      src.dispose();
    }
  });
  return { missingKeys, unexpectedKeys };
}
