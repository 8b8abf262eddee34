import { promoteTypes } from '../dtype.js';
import { ShapeError } from '../errors.js';
import { fmtShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor, cast } from './operands.js';
import { narrow } from './indexing.js';
import { reshape, unsqueeze } from './shape-ops.js';
import { select } from './indexing.js';

/** Concatenates tensors along `dim` (shapes must match elsewhere; dtypes are promoted). */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError('cat: expected a non-empty list of Tensors');
  tensors.forEach((t, i) => assertTensor(t, 'cat', `tensors[${i}]`));
  const first = tensors[0] as Tensor;
  // PyTorch skips 1-D empty tensors in cat
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return first;
  const ref = parts[0] as Tensor;
  const axis = normalizeDim(dim, ref.ndim, 'cat');
  for (const [i, t] of parts.entries()) {
    if (t.ndim !== ref.ndim || t.shape.some((s: number, d: number) => d !== axis && s !== ref.shape[d])) {
      throw new ShapeError(`cat: sizes of tensors must match except in dimension ${axis}: tensor 0 has shape ${fmtShape(ref.shape)} but tensor ${i} has shape ${fmtShape(t.shape)}`);
    }
  }
  const dtype = parts.reduce((d, t) => promoteTypes(d, t.dtype), ref.dtype);
  if (parts.length === 1) return ref.engine.run('reshape', [cast(ref, dtype)], { shape: ref.shape });
  return ref.engine.run('concat', parts.map((t) => cast(t, dtype)), { axis });
}

/** Alias of {@link cat}. */
export const concat = cat;

/** Stacks equal-shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError('stack: expected a non-empty list of Tensors');
  tensors.forEach((t, i) => assertTensor(t, 'stack', `tensors[${i}]`));
  const ref = tensors[0] as Tensor;
  for (const [i, t] of tensors.entries()) {
    if (t.ndim !== ref.ndim || t.shape.some((s: number, d: number) => s !== ref.shape[d])) {
      throw new ShapeError(`stack: expects each tensor to be equal size, but got ${fmtShape(ref.shape)} at entry 0 and ${fmtShape(t.shape)} at entry ${i}`);
    }
  }
  const d = normalizeDim(dim, ref.ndim + 1, 'stack');
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/** Splits into chunks of `splitSize` (the last may be smaller), or into the given sizes, along `dim`. */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  assertTensor(x, 'split');
  const d = normalizeDim(dim, x.ndim, 'split');
  const size = x.shape[d] as number;
  let sizes: number[];
  if (typeof splitSizeOrSections === 'number') {
    const s = splitSizeOrSections;
    if (!Number.isInteger(s) || s <= 0) throw new RangeError(`split: split size must be a positive integer, got ${s}`);
    sizes = [];
    for (let at = 0; at < size; at += s) sizes.push(Math.min(s, size - at));
    if (size === 0) sizes = [0];
  } else {
    sizes = [...splitSizeOrSections];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== size) throw new ShapeError(`split: split sizes ${fmtShape(sizes)} sum to ${total} but dimension ${d} has size ${size}`);
  }
  const out: Tensor[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(narrow(x, d, at, s));
    at += s;
  }
  return out;
}

/** Splits into `chunks` nearly equal parts along `dim` (PyTorch's `chunk`). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  assertTensor(x, 'chunk');
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk: number of chunks must be a positive integer, got ${chunks}`);
  const d = normalizeDim(dim, x.ndim, 'chunk');
  const size = x.shape[d] as number;
  return split(x, Math.max(1, Math.ceil(size / chunks)), d);
}

/** The slices along `dim`, each with that dim removed. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  assertTensor(x, 'unbind');
  const d = normalizeDim(dim, x.ndim, 'unbind');
  return Array.from({ length: x.shape[d] as number }, (_, i) => select(x, d, i));
}

/** Repeats the tensor along each dim (PyTorch's `repeat`). */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  assertTensor(x, 'repeat');
  if (repeats.length < x.ndim) throw new ShapeError(`repeat: number of repeat dims (${repeats.length}) can not be smaller than number of dimensions of tensor (${x.ndim})`);
  let cur = reshape(x, [...new Array<number>(repeats.length - x.ndim).fill(1), ...x.shape]);
  repeats.forEach((r, d) => {
    if (r !== 1) cur = cat(new Array<Tensor>(r).fill(cur), d);
  });
  return cur;
}
