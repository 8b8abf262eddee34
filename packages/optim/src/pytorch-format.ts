import { cast, getEngine, Tensor, tensor, type DType, type Engine } from '@backstep/tensor';
import { camelToSnake, snakeToCamel } from './keys.js';
import { cloneStateValue } from './state-dict.js';
import type { OptimizerStateDict, ParamState, StateValue } from './types.js';

/** A tensor written out as JSON, as in the golden files: `{ shape, data }` with nested `data`. */
export interface JsonTensor {
  /** The shape. */
  shape: number[];
  /** Nested arrays (depth = shape.length); a number for a 0-d tensor. */
  data: unknown;
}

/** A state dict in PyTorch's layout: `{ state: { 0: { exp_avg, ... } }, param_groups: [...] }`. */
export interface PyTorchStateDict {
  /** Per-parameter state keyed by parameter index, snake_case entry names. */
  state: Record<string, Record<string, unknown>>;
  /** Hyperparameters (snake_case) and `params` (indices) of each group. */
  param_groups: Array<Record<string, unknown> & { params: number[] }>;
}

/** PyTorch-only implementation flags that Backstep does not have; dropped when importing. */
export const PYTORCH_ONLY_GROUP_KEYS: readonly string[] = ['foreach', 'capturable', 'differentiable', 'fused'];

/** Options of {@link toPyTorchStateDict}. */
export interface ToPyTorchOptions {
  /** `'tensor'` (default): tensor values as cloned tensors; `'json'`: `{ shape, data }` objects (reads synchronously). */
  tensors?: 'tensor' | 'json';
}

function exportValue(v: StateValue, mode: 'tensor' | 'json'): unknown {
  if (v instanceof Tensor) {
    if (mode === 'tensor') return cloneStateValue(v);
    return { shape: [...v.shape], data: v.tolist() } satisfies JsonTensor;
  }
  if (Array.isArray(v)) return v.map((x: StateValue) => exportValue(x, mode));
  return v;
}

/**
 * Converts a Backstep state dict to PyTorch's layout: snake_case keys (`expAvgSq` ->
 * `exp_avg_sq`, `weightDecay` -> `weight_decay`), `state` keyed by index, `param_groups`. Scalars
 * such as `step` stay numbers (PyTorch's 0-d tensors, as the JSON golden files write them).
 */
export function toPyTorchStateDict(sd: OptimizerStateDict, options: ToPyTorchOptions = {}): PyTorchStateDict {
  const mode = options.tensors ?? 'tensor';
  const state: PyTorchStateDict['state'] = {};
  for (const [id, entry] of Object.entries(sd.state)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry as ParamState)) out[camelToSnake(k)] = exportValue(v, mode);
    state[id] = out;
  }
  const param_groups = sd.paramGroups.map((g) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(g)) if (k !== 'params') out[camelToSnake(k)] = Array.isArray(v) ? [...v] : v;
    return { ...out, params: [...g.params] };
  });
  return { state, param_groups };
}

/** A state value with every tensor read asynchronously into `{ shape, data }` (reads run concurrently). */
async function exportJsonAsync(v: StateValue): Promise<unknown> {
  if (v instanceof Tensor) return { shape: [...v.shape], data: await v.toArray() } satisfies JsonTensor;
  if (Array.isArray(v)) return Promise.all(v.map((x: StateValue) => exportJsonAsync(x)));
  return v;
}

/**
 * {@link toPyTorchStateDict} with `{ tensors: 'json' }` for every backend: tensors are read with
 * `await tensor.toArray()` (backends without synchronous reads, such as WebGPU, need this).
 */
export async function toPyTorchStateDictAsync(sd: OptimizerStateDict): Promise<PyTorchStateDict> {
  const { param_groups } = toPyTorchStateDict({ ...sd, state: {} });
  const state: PyTorchStateDict['state'] = {};
  const entries = await Promise.all(
    Object.entries(sd.state).map(async ([id, entry]) => {
      const values = await Promise.all(Object.entries(entry as ParamState).map(async ([k, v]) => [camelToSnake(k), await exportJsonAsync(v)] as const));
      return [id, Object.fromEntries(values)] as const;
    }),
  );
  for (const [id, out] of entries) state[id] = out;
  return { state, param_groups };
}

/** Options of {@link fromPyTorchStateDict}. */
export interface FromPyTorchOptions {
  /** dtype of tensors built from nested arrays / `{ shape, data }` (and cast of given tensors); default float32. */
  dtype?: DType;
  /** Engine to create tensors in (default: the default engine). */
  engine?: Engine;
  /** Backend to create tensors on (default: the engine's current backend). */
  backend?: string;
}

function isJsonTensor(v: unknown): v is JsonTensor {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as JsonTensor).shape) && 'data' in v;
}

function toNumber(v: unknown): unknown {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v;
}

function flatten(data: unknown, out: number[]): number[] {
  if (Array.isArray(data)) for (const d of data) flatten(d, out);
  else out.push(Number(toNumber(data)));
  return out;
}

function isNumericNest(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0 && v.every(isNumericNest);
  return typeof v === 'number' || v === 'Infinity' || v === '-Infinity' || v === 'NaN';
}

function nestShape(v: unknown): number[] {
  const s: number[] = [];
  for (let x = v; Array.isArray(x); x = x[0]) s.push(x.length);
  return s;
}

function importValue(v: unknown, o: Required<Pick<FromPyTorchOptions, 'dtype'>> & FromPyTorchOptions, where: string): StateValue {
  const opts = { dtype: o.dtype, engine: o.engine ?? getEngine(), ...(o.backend === undefined ? {} : { backend: o.backend }) };
  if (v instanceof Tensor) {
    if (v.ndim === 0) return v.item();
    return o.dtype === v.dtype ? cloneStateValue(v) : cast(v, o.dtype);
  }
  if (isJsonTensor(v)) {
    if (v.shape.length === 0) return Number(toNumber(Array.isArray(v.data) ? (v.data as unknown[])[0] : v.data));
    return tensor(flatten(v.data, []), { ...opts, shape: v.shape });
  }
  if (Array.isArray(v)) {
    if (isNumericNest(v)) return tensor(flatten(v, []), { ...opts, shape: nestShape(v) });
    return v.map((x, i) => importValue(x, o, `${where}[${i}]`));
  }
  const n = toNumber(v);
  if (n === null || ['number', 'boolean', 'string'].includes(typeof n)) return n as StateValue;
  throw new TypeError(`fromPyTorchStateDict: unsupported value at ${where}`);
}

/**
 * Converts a PyTorch-layout state dict (snake_case keys; values as tensors, `{ shape, data }`
 * objects, nested arrays or numbers) to Backstep's layout. 0-d values become numbers; nested
 * arrays become tensors of `options.dtype`; PyTorch-only group flags (`foreach`, `capturable`,
 * `differentiable`, `fused`) are dropped. Pass the result to `optimizer.loadStateDict`.
 */
export function fromPyTorchStateDict(sd: PyTorchStateDict, options: FromPyTorchOptions = {}): OptimizerStateDict {
  if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.param_groups) || sd.state === null || typeof sd.state !== 'object') {
    throw new TypeError("fromPyTorchStateDict: expected { state: {...}, param_groups: [...] }");
  }
  const o = { ...options, dtype: options.dtype ?? 'float32' };
  const state: OptimizerStateDict['state'] = {};
  for (const [id, entry] of Object.entries(sd.state)) {
    if (entry === null || typeof entry !== 'object') throw new TypeError(`fromPyTorchStateDict: state of parameter ${id} must be an object`);
    const out: ParamState = {};
    for (const [k, v] of Object.entries(entry)) out[snakeToCamel(k)] = importValue(v, o, `state.${id}.${k}`);
    state[Number(id)] = out;
  }
  const paramGroups = sd.param_groups.map((g, gi) => {
    if (!Array.isArray(g.params)) throw new TypeError(`fromPyTorchStateDict: param_groups[${gi}] has no 'params' list`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(g)) {
      if (k === 'params' || PYTORCH_ONLY_GROUP_KEYS.includes(k)) continue;
      out[snakeToCamel(k)] = Array.isArray(v) ? [...v] : toNumber(v);
    }
    return { ...out, params: [...g.params] };
  });
  return { version: 1, state, paramGroups };
}
