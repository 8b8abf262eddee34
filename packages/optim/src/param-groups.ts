import { Tensor } from '@backstep/tensor';
import type { Param, ParamGroup, ParamGroupInput, ParamsInput } from './types.js';

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return x !== null && typeof x === 'object' && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * Normalizes an optimizer's `params` argument into param-group inputs, with PyTorch's errors:
 * a single tensor is refused (params must be an iterable), an empty list is refused, and a
 * list of tensors becomes one group.
 */
export function normalizeParams<O extends object>(params: ParamsInput<O>): ParamGroupInput<O>[] {
  if (params instanceof Tensor) {
    throw new TypeError(
      'params argument given to the optimizer should be an iterable of Tensors or dicts, but got a Tensor (wrap it in an array: [tensor])',
    );
  }
  if (!isIterable(params)) {
    throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${describe(params)}`);
  }
  if (params instanceof Set) {
    throw new TypeError(
      'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets may change between runs; please use an array instead',
    );
  }
  const list = [...(params as Iterable<unknown>)];
  if (list.length === 0) throw new RangeError('optimizer got an empty parameter list');
  if (list[0] instanceof Tensor) return [{ params: list as Param[] } as unknown as ParamGroupInput<O>];
  for (const g of list) {
    if (g === null || typeof g !== 'object' || g instanceof Tensor || !('params' in g)) {
      throw new TypeError(`param group must be an object with a 'params' entry, got ${describe(g)} (do not mix tensors and groups)`);
    }
  }
  return list as ParamGroupInput<O>[];
}

/**
 * Builds a full param group from an input group and the optimizer's defaults, checking the
 * parameters (tensors, leaves, floating point, not already in `existing` groups).
 */
export function buildParamGroup<H extends object>(
  input: ParamGroupInput<H>,
  defaults: H,
  existing: readonly ParamGroup<H>[],
): ParamGroup<H> {
  if (input === null || typeof input !== 'object') throw new TypeError(`param group must be an object, got ${describe(input)}`);
  const raw = input.params;
  let params: Param[];
  if (raw instanceof Tensor) params = [raw];
  else if (raw instanceof Set) {
    throw new TypeError(
      'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets may change between runs; please use an array instead',
    );
  } else if (isIterable(raw)) params = [...(raw as Iterable<Param>)];
  else throw new TypeError(`param group 'params' must be a tensor or an iterable of tensors, got ${describe(raw)}`);
  if (params.length === 0) throw new RangeError('optimizer got an empty parameter list');
  params.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but parameter ${i} of the group is ${describe(p)}`);
    p.assertLive('optimizer');
    if (!p.isLeaf && !p.retainsGrad) throw new Error("can't optimize a non-leaf Tensor");
    if (p.dtype !== 'float32' && p.dtype !== 'float64') {
      throw new TypeError(`optimizer can only optimize floating point tensors, but parameter ${i} of the group has dtype ${p.dtype}`);
    }
  });
  if (new Set(params).size !== params.length) {
    throw new Error('optimizer contains a parameter group with duplicate parameters');
  }
  const seen = new Set<Param>();
  for (const g of existing) for (const p of g.params) seen.add(p);
  if (params.some((p) => seen.has(p))) throw new Error('some parameters appear in more than one parameter group');
  const group: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(defaults)) group[k] = Array.isArray(v) ? [...v] : v;
  for (const [k, v] of Object.entries(input)) {
    if (k === 'params' || v === undefined) continue;
    group[k] = Array.isArray(v) ? [...v] : v;
  }
  group['params'] = params;
  return group as ParamGroup<H>;
}
