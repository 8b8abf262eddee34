import { isFloat } from '../dtype.js';
import { DTypeError } from '../errors.js';
import type { ReduceKernel } from '../kernel-names.js';
import { normalizeDim, normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { abs as absT, add, div, exp, isinf, log, maximum, minimum, mul, pow, sqrt, sub, where } from './elementwise.js';
import { assertTensor, cast } from './operands.js';
import { detach, reshape, squeeze } from './shape-ops.js';
import { gather } from './indexing.js';

/** Dims to reduce over: a dim, a list of dims, or null/undefined for all. */
export type Dims = number | readonly number[] | null | undefined;

/** Options of the reductions, as an alternative to positional `(dim, keepdim)`. */
export interface ReduceOptions {
  /** Dims to reduce (all when omitted). */
  dim?: Dims;
  /** Keep reduced dims with size 1. */
  keepdim?: boolean;
}

function parse(dimOrOpts: Dims | ReduceOptions, keepdim: boolean | undefined): { dim: Dims; keepdim: boolean } {
  if (dimOrOpts !== null && typeof dimOrOpts === 'object' && !Array.isArray(dimOrOpts)) {
    const o = dimOrOpts as ReduceOptions;
    return { dim: o.dim, keepdim: o.keepdim ?? keepdim ?? false };
  }
  return { dim: dimOrOpts as Dims, keepdim: keepdim ?? false };
}

function reduce(kernel: ReduceKernel, x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  assertTensor(x, kernel);
  const axes = normalizeDims(dim, x.ndim, kernel);
  return x.engine.run(kernel, [x], { axes, keepdim });
}

function count(x: Tensor, dim: Dims): number {
  return normalizeDims(dim, x.ndim).reduce((n, a) => n * (x.shape[a] as number), 1);
}

/** Sum over dims (all by default). Bool/int32 sums are int32. */
export function sum(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const p = parse(dim, keepdim);
  return reduce('sum', x, p.dim, p.keepdim);
}

/** Product over dims (all by default). */
export function prod(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const p = parse(dim, keepdim);
  return reduce('prod', x, p.dim, p.keepdim);
}

/** Mean over dims (all by default). Requires a floating-point tensor, as in PyTorch. */
export function mean(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const p = parse(dim, keepdim);
  assertTensor(x, 'mean');
  if (!isFloat(x.dtype)) {
    throw new DTypeError(`mean: could not infer output dtype; input dtype must be floating point, got ${x.dtype} (use x.float().mean())`);
  }
  return div(reduce('sum', x, p.dim, p.keepdim), count(x, p.dim));
}

/** Largest value over dims (gradient split evenly among ties, as PyTorch's amax). */
export function amax(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const p = parse(dim, keepdim);
  return reduce('max', x, p.dim, p.keepdim);
}

/** Smallest value over dims (gradient split evenly among ties). */
export function amin(x: Tensor, dim?: Dims | ReduceOptions, keepdim?: boolean): Tensor {
  const p = parse(dim, keepdim);
  return reduce('min', x, p.dim, p.keepdim);
}

/** `(values, indices)` of max/min along a dim: usable as `[v, i]` or as `.values` / `.indices`. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

function extremum(kind: 'max' | 'min', x: Tensor, dimOrOther?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  assertTensor(x, kind);
  if (dimOrOther instanceof Tensor) return kind === 'max' ? maximum(x, dimOrOther) : minimum(x, dimOrOther);
  if (dimOrOther === undefined) {
    if (x.numel() === 0) throw new RangeError(`${kind}(): expected a non-empty tensor (use amax/amin with a dim for empty reductions)`);
    return reduce(kind, x, null, false);
  }
  const d = normalizeDim(dimOrOther, x.ndim, kind);
  const indices = (kind === 'max' ? argmax : argmin)(x, d, true);
  // values go through gather, so the gradient goes to the selected index (as PyTorch's max(dim)).
  const values = x.ndim === 0 ? reshape(x, []) : gather(x, d, indices);
  return keepdim || x.ndim === 0 ? valuesIndices(values, indices) : valuesIndices(squeeze(values, d), squeeze(indices, d));
}

/** `max(x)`: the largest element (0-d); `max(x, dim, keepdim)`: `[values, indices]`; `max(x, other)`: elementwise maximum. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dimOrOther?: number | Tensor, keepdim?: boolean): Tensor | ValuesIndices {
  return extremum('max', x, dimOrOther, keepdim);
}

/** `min(x)`: the smallest element; `min(x, dim, keepdim)`: `[values, indices]`; `min(x, other)`: elementwise minimum. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dimOrOther?: number | Tensor, keepdim?: boolean): Tensor | ValuesIndices {
  return extremum('min', x, dimOrOther, keepdim);
}

function argReduce(kind: 'argmax' | 'argmin', x: Tensor, dim: number | null | undefined, keepdim: boolean): Tensor {
  assertTensor(x, kind);
  if (dim === null || dim === undefined) {
    const flat = reshape(x, [x.numel()]);
    if (flat.numel() === 0) throw new RangeError(`${kind}(): expected a non-empty tensor`);
    const r = flat.engine.run(kind, [flat], { axis: 0, keepdim: false });
    return keepdim ? reshape(r, x.shape.map(() => 1)) : r;
  }
  const axis = normalizeDim(dim, x.ndim, kind);
  if (x.ndim === 0) return x.engine.run('fill', [], { shape: [], dtype: 'int32', value: 0 }, x.backendName);
  if (x.shape[axis] === 0) throw new RangeError(`${kind}(): expected reduction dim ${axis} to have a non-zero size`);
  return x.engine.run(kind, [x], { axis, keepdim });
}

/** Index of the largest element (of the flattened tensor, or along `dim`), int32. */
export function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argReduce('argmax', x, dim, keepdim);
}

/** Index of the smallest element (of the flattened tensor, or along `dim`), int32. */
export function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argReduce('argmin', x, dim, keepdim);
}

/** Options of var/std: `correction` (default 1, Bessel) or PyTorch's older `unbiased` flag. */
export interface VarOptions extends ReduceOptions {
  /** Subtracted from the count in the denominator (default 1). */
  correction?: number;
  /** `false` means correction 0. */
  unbiased?: boolean;
}

/** Variance over dims (unbiased by default). */
export function variance(x: Tensor, dim?: Dims | VarOptions, keepdim?: boolean): Tensor {
  assertTensor(x, 'var');
  const opts: VarOptions = dim !== null && typeof dim === 'object' && !Array.isArray(dim) ? (dim as VarOptions) : {};
  const p = parse(dim as Dims | ReduceOptions, keepdim);
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  const m = mean(xf, p.dim, true);
  const d = sub(xf, m);
  const ss = reduce('sum', mul(d, d), p.dim, p.keepdim);
  return div(ss, Math.max(0, count(x, p.dim) - correction));
}

/** Standard deviation over dims (unbiased by default). */
export function std(x: Tensor, dim?: Dims | VarOptions, keepdim?: boolean): Tensor {
  return sqrt(variance(x, dim, keepdim));
}

/** log(sum(exp(x))) over dims, computed stably. */
export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  assertTensor(x, 'logsumexp');
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  const axes = normalizeDims(dim, x.ndim, 'logsumexp');
  const m0 = detach(reduce('max', xf, axes, true));
  const m = where(isinf(m0), 0, m0);
  const s = log(reduce('sum', exp(sub(xf, m)), axes, true));
  const out = add(s, m);
  return keepdim ? out : squeeze(out, axes);
}

/** Whether every element is nonzero (bool), over dims or all. */
export function all(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return reduce('min', cast(x, 'bool'), dim, keepdim);
}

/** Whether any element is nonzero (bool), over dims or all. */
export function any(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return reduce('max', cast(x, 'bool'), dim, keepdim);
}

/** The p-norm over dims (all by default): p = 2 (default, 'fro'), 1, Infinity or any positive number. */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: Dims, keepdim = false): Tensor {
  assertTensor(x, 'norm');
  const pp = p === 'fro' ? 2 : p;
  if (pp === Infinity) return amax(absT(x), dim, keepdim);
  if (pp === 1) return sum(absT(x), dim, keepdim);
  if (pp === 2) return sqrt(sum(mul(x, x), dim, keepdim));
  return reducePow(x, pp, dim, keepdim);
}

function reducePow(x: Tensor, p: number, dim: Dims, keepdim: boolean): Tensor {
  return pow(sum(pow(absT(x), p), dim, keepdim), 1 / p);
}
