import { ShapeError } from '../errors.js';
import { fmtShape, normalizeDim, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor } from './operands.js';

/** Resolves one `-1` in a target shape and checks the element count. */
export function inferReshape(from: Shape, to: readonly number[], op = 'reshape'): number[] {
  const n = sizeOf(from);
  const neg = to.filter((d) => d === -1).length;
  if (neg > 1) throw new ShapeError(`${op}: only one dimension can be inferred (-1), got ${fmtShape(to)}`);
  if (to.some((d) => !Number.isInteger(d) || d < -1)) throw new ShapeError(`${op}: invalid shape dimension in ${fmtShape(to)}`);
  const known = to.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const out = to.map((d) => {
    if (d !== -1) return d;
    if (known === 0 || n % known !== 0) throw new ShapeError(`${op}: shape ${fmtShape(to)} is invalid for input of size ${n}`);
    return n / known;
  });
  if (sizeOf(out) !== n) throw new ShapeError(`${op}: shape ${fmtShape(to)} is invalid for input of size ${n} (input shape ${fmtShape(from)})`);
  return out;
}

/** Same data, new shape (one dim may be -1). Shares the buffer. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor(x, 'reshape');
  const s = inferReshape(x.shape, shape);
  if (shapesEqual(s, x.shape)) return x.engine.run('reshape', [x], { shape: s });
  return x.engine.run('reshape', [x], { shape: s });
}

/** Alias of {@link reshape} (Backstep tensors are always contiguous, so every view is valid). */
export const view = (x: Tensor, shape: readonly number[]): Tensor => reshape(x, shape);

/** Flattens dims `startDim..endDim` into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  assertTensor(x, 'flatten');
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim, 'flatten');
  const e = normalizeDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError('flatten: startDim cannot come after endDim');
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Splits dim `dim` into `sizes` (one may be -1). */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  assertTensor(x, 'unflatten');
  const d = normalizeDim(dim, x.ndim, 'unflatten');
  const inner = inferReshape([x.shape[d] as number], sizes, 'unflatten');
  return reshape(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

/** Reorders dims: output dim i is input dim `dims[i]` (copies). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor(x, 'permute');
  if (dims.length !== x.ndim) {
    throw new ShapeError(`permute: number of dims don't match: input has ${x.ndim} dims but ${dims.length} were given (${fmtShape(dims)})`);
  }
  const perm = dims.map((d) => normalizeDim(d, x.ndim, 'permute'));
  if (new Set(perm).size !== perm.length) throw new RangeError(`permute: repeated dim in ${fmtShape(dims)}`);
  if (perm.every((p, i) => p === i)) return x.engine.run('reshape', [x], { shape: x.shape });
  return x.engine.run('transpose', [x], { perm });
}

/** Swaps two dims (copies). */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  assertTensor(x, 'transpose');
  if (x.ndim === 0) return x.engine.run('reshape', [x], { shape: [] });
  const a = normalizeDim(dim0, x.ndim, 'transpose');
  const b = normalizeDim(dim1, x.ndim, 'transpose');
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Transpose of a tensor with at most 2 dims (PyTorch's `t()`). */
export function t(x: Tensor): Tensor {
  assertTensor(x, 't');
  if (x.ndim > 2) throw new ShapeError(`t: expects a tensor with <= 2 dimensions, but got ${x.ndim} (use transpose or permute)`);
  return x.ndim < 2 ? x.engine.run('reshape', [x], { shape: x.shape }) : transpose(x, 0, 1);
}

/** Removes size-1 dims (all of them, or the given ones; others are left alone as in PyTorch). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  assertTensor(x, 'squeeze');
  const dims = dim === undefined ? x.shape.map((_, i) => i) : (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, x.ndim, 'squeeze'));
  const shape = x.shape.filter((s, i) => !(s === 1 && dims.includes(i)));
  return x.engine.run('reshape', [x], { shape });
}

/** Inserts a size-1 dim at `dim` (in [-ndim-1, ndim]). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  assertTensor(x, 'unsqueeze');
  const d = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return x.engine.run('reshape', [x], { shape });
}

/**
 * Broadcasts to `shape` (-1 keeps a dim; new leading dims may be added). Copies the data
 * (Backstep has no stride-0 views).
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor(x, 'expand');
  if (shape.length < x.ndim) {
    throw new ShapeError(`expand: the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  }
  const lead = shape.length - x.ndim;
  const target = shape.map((s, i) => {
    const cur = i >= lead ? (x.shape[i - lead] as number) : 1;
    if (s === -1) {
      if (i < lead) throw new ShapeError(`expand: -1 is not allowed in a leading, non-existing dimension (${fmtShape(shape)})`);
      return cur;
    }
    if (cur !== 1 && cur !== s) {
      throw new ShapeError(`expand: the expanded size of the tensor (${s}) must match the existing size (${cur}) at non-singleton dimension ${i}. Target sizes: ${fmtShape(shape)}. Tensor sizes: ${fmtShape(x.shape)}`);
    }
    return s;
  });
  if (shapesEqual(target, x.shape)) return x.engine.run('reshape', [x], { shape: target });
  return x.engine.run('expand', [x], { shape: target });
}

/** Broadcasts to `other`'s shape. */
export const expandAs = (x: Tensor, other: Tensor): Tensor => expand(x, other.shape);

/** Alias of {@link expand} with NumPy's name. */
export const broadcastTo = (x: Tensor, shape: readonly number[]): Tensor => expand(x, shape);

/** A copy with its own buffer; gradients flow through it. */
export function clone(x: Tensor): Tensor {
  assertTensor(x, 'clone');
  return x.engine.run('copy', [x], {});
}

/** Returns `x` (Backstep tensors are always contiguous). */
export function contiguous(x: Tensor): Tensor {
  assertTensor(x, 'contiguous');
  return x;
}

/** A new tensor sharing `x`'s buffer, cut off from the autograd graph (never requires grad). */
export function detach(x: Tensor): Tensor {
  assertTensor(x, 'detach');
  return x.engine.makeTensorFromInfo(x.info(), x.backendName);
}

/** Moves dim `source` to position `destination`. */
export function movedim(x: Tensor, source: number, destination: number): Tensor {
  assertTensor(x, 'movedim');
  const s = normalizeDim(source, x.ndim, 'movedim');
  const d = normalizeDim(destination, x.ndim, 'movedim');
  const order = x.shape.map((_, i) => i).filter((i) => i !== s);
  order.splice(d, 0, s);
  return permute(x, order);
}
