import { Tensor, tensor, type DataArray, type DType } from '@backstep/tensor';
import type { HostTensor } from './safetensors.js';

/** Marker that stands for a tensor inside the JSON part of a flattened state. */
export interface TensorRef {
  /** The dotted name the tensor is stored under. */
  $tensor: string;
}

/** A state tree split into named tensors and a JSON-serialisable remainder. */
export interface FlatState {
  /** Tensors by dotted path, e.g. `model.lin1.weight`, `optimizer.state.0.expAvg`. */
  tensors: Map<string, Tensor>;
  /** The tree with every tensor replaced by a {@link TensorRef}; non-finite numbers as strings. */
  json: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

/**
 * Splits a state tree (plain objects, arrays, numbers, strings, booleans, null and tensors) into
 * tensors under stable dotted names plus JSON. Throws on anything else (functions, class
 * instances, cycles), naming the path.
 */
export function flattenState(tree: unknown, prefix = ''): FlatState {
  const tensors = new Map<string, Tensor>();
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string): unknown => {
    if (v instanceof Tensor) {
      v.assertLive(`checkpoint (${path})`);
      tensors.set(path, v);
      return { $tensor: path } satisfies TensorRef;
    }
    if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (v === undefined) return null;
    if (typeof v !== 'object') throw new TypeError(`checkpoint: cannot store a ${typeof v} at '${path || '<root>'}'`);
    if (seen.has(v)) throw new TypeError(`checkpoint: the state has a cycle at '${path}'`);
    seen.add(v);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, join(path, String(i))));
    if (!isPlainObject(v)) throw new TypeError(`checkpoint: cannot store an instance of ${v.constructor?.name ?? 'unknown'} at '${path}' (only plain objects, arrays, numbers, strings, booleans and tensors)`);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, join(path, k));
    return out;
  };
  const json = walk(tree, prefix);
  return { tensors, json };
}

function join(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

/** Options for rebuilding tensors. */
export interface UnflattenOptions {
  /** Backend to create tensors on (default: the engine's current backend). */
  backend?: string;
}

/**
 * Rebuilds a state tree from its JSON part and stored tensors. Every {@link TensorRef} must name
 * a stored tensor (clear error otherwise).
 */
export function unflattenState(json: unknown, stored: Map<string, HostTensor>, options: UnflattenOptions = {}): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$tensor === 'string' && Object.keys(o).length === 1) {
        const h = stored.get(o.$tensor);
        if (h === undefined) throw new Error(`checkpoint: tensor '${o.$tensor}' is referenced by the metadata but missing from the file`);
        return hostToTensor(h, options.backend);
      }
      if (typeof o.$number === 'string' && Object.keys(o).length === 1) return Number(o.$number);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(json);
}

/** A tensor from host values. */
export function hostToTensor(h: HostTensor, backend?: string): Tensor {
  return tensor(h.values, { dtype: h.dtype, shape: h.shape, ...(backend === undefined ? {} : { backend }) });
}

/** Reads a tensor's values to the host (async: works on every backend). */
export async function tensorToHost(t: Tensor): Promise<HostTensor> {
  return { dtype: t.dtype as DType, shape: [...t.shape], values: (await t.data()) as DataArray };
}
