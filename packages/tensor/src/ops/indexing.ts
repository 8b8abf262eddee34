import { DTypeError, ShapeError } from '../errors.js';
import { fmtShape, normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor, cast } from './operands.js';
import { reshape } from './shape-ops.js';

function assertIndex(index: Tensor, op: string): void {
  assertTensor(index, op, 'index');
  if (index.dtype !== 'int32') {
    throw new DTypeError(`${op}: expected index to be an int32 tensor, got ${index.dtype}`);
  }
}

function sliceBounds(size: number, start: number | null | undefined, end: number | null | undefined, step: number, op: string): [number, number] {
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`${op}: slice step must be a positive integer, got ${step}`);
  let s = start ?? 0;
  let e = end ?? size;
  if (s < 0) s += size;
  if (e < 0) e += size;
  s = Math.min(Math.max(s, 0), size);
  e = Math.min(Math.max(e, s), size);
  return [s, e];
}

/** Elements `start, start+step, ... < end` along `dim` (Python slice semantics; copies). */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  assertTensor(x, 'slice');
  const d = normalizeDim(dim, x.ndim, 'slice');
  const [s, e] = sliceBounds(x.shape[d] as number, start, end, step, 'slice');
  const begin = x.shape.map(() => 0);
  const endA = [...x.shape];
  const stepA = x.shape.map(() => 1);
  begin[d] = s;
  endA[d] = e;
  stepA[d] = step;
  if (s === 0 && e === x.shape[d] && step === 1) return x.engine.run('reshape', [x], { shape: x.shape });
  return x.engine.run('slice', [x], { begin, end: endA, step: stepA });
}

/** `length` elements from `start` along `dim` (PyTorch's `narrow`). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  assertTensor(x, 'narrow');
  const d = normalizeDim(dim, x.ndim, 'narrow');
  const size = x.shape[d] as number;
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || s < 0 || s > size) throw new RangeError(`narrow: start (${start}) is out of range for dimension ${d} of size ${size}`);
  if (!Number.isInteger(length) || length < 0 || s + length > size) {
    throw new RangeError(`narrow: start (${s}) + length (${length}) exceeds dimension ${d} of size ${size}`);
  }
  return slice(x, d, s, s + length);
}

/** The slice at `index` along `dim`, with that dim removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  assertTensor(x, 'select');
  if (x.ndim === 0) throw new RangeError('select: cannot be applied to a 0-dim tensor');
  const d = normalizeDim(dim, x.ndim, 'select');
  const size = x.shape[d] as number;
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`select: index ${index} is out of bounds for dimension ${d} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  const part = slice(x, d, i, i + 1);
  const shape = [...x.shape];
  shape.splice(d, 1);
  return reshape(part, shape);
}

/** Picks slices along `dim` at the positions in a 1-D int32 `index` (PyTorch's `index_select`). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor(x, 'indexSelect');
  assertIndex(index, 'indexSelect');
  if (index.ndim > 1) throw new ShapeError(`indexSelect: index must be 0-d or 1-D, got shape ${fmtShape(index.shape)}`);
  const axis = normalizeDim(dim, Math.max(x.ndim, 1), 'indexSelect');
  const idx = index.ndim === 0 ? reshape(index, [1]) : index;
  const xx = x.ndim === 0 ? reshape(x, [1]) : x;
  const out = xx.engine.run('indexSelect', [xx, idx], { axis });
  return x.ndim === 0 ? reshape(out, []) : out;
}

/** Adds the slices of `src` into a copy of `x` at the positions in `index` along `dim` (PyTorch's `index_add`). */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  assertTensor(x, 'indexAdd');
  assertTensor(src, 'indexAdd', 'source');
  assertIndex(index, 'indexAdd');
  const axis = normalizeDim(dim, x.ndim, 'indexAdd');
  if (index.ndim !== 1 || src.ndim !== x.ndim || src.shape[axis] !== index.shape[0] ||
      src.shape.some((s, i) => i !== axis && s !== x.shape[i])) {
    throw new ShapeError(`indexAdd: source ${fmtShape(src.shape)} does not fit input ${fmtShape(x.shape)} with index ${fmtShape(index.shape)} along dim ${axis}`);
  }
  return x.engine.run('indexAdd', [x, index, cast(src, x.dtype)], { axis });
}

function checkGatherShapes(op: string, x: Tensor, axis: number, index: Tensor): void {
  if (index.ndim !== x.ndim && !(x.ndim === 0 && index.ndim <= 1)) {
    throw new ShapeError(`${op}: index ${fmtShape(index.shape)} and input ${fmtShape(x.shape)} must have the same number of dimensions`);
  }
  for (let d = 0; d < index.ndim; d++) {
    if (d !== axis && (index.shape[d] as number) > (x.shape[d] as number)) {
      throw new ShapeError(`${op}: size of index ${fmtShape(index.shape)} does not fit input ${fmtShape(x.shape)} at dimension ${d} (dim = ${axis})`);
    }
  }
}

/** `out[i][j] = x[index[i][j]][j]` along `dim` (PyTorch's `gather`). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor(x, 'gather');
  assertIndex(index, 'gather');
  const axis = normalizeDim(dim, Math.max(x.ndim, 1), 'gather');
  checkGatherShapes('gather', x, axis, index);
  return x.engine.run('gather', [x, index], { axis });
}

function scatterLike(kind: 'scatter' | 'scatterAdd', x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  assertTensor(x, kind);
  assertIndex(index, kind);
  const axis = normalizeDim(dim, Math.max(x.ndim, 1), kind);
  checkGatherShapes(kind, x, axis, index);
  const s = typeof src === 'number' ? x.engine.run('fill', [], { shape: index.shape, dtype: x.dtype, value: src }, x.backendName) : cast(src, x.dtype);
  if (s.ndim !== index.ndim || index.shape.some((n, d) => n > (s.shape[d] as number))) {
    throw new ShapeError(`${kind}: source ${fmtShape(s.shape)} is smaller than index ${fmtShape(index.shape)}`);
  }
  return x.engine.run(kind, [x, index, s], { axis });
}

/** A copy of `x` with `x[index[i][j]][j] = src[i][j]` along `dim` (PyTorch's `scatter`). */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  return scatterLike('scatter', x, dim, index, src);
}

/** A copy of `x` with `src` added at `index` along `dim` (PyTorch's `scatter_add`). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return scatterLike('scatterAdd', x, dim, index, src);
}

/**
 * Indices of nonzero elements as an int32 `[count, ndim]` tensor. Reads the values on the
 * host synchronously (the output shape depends on them); use `nonzeroAsync` on backends
 * without synchronous reads.
 */
export function nonzero(x: Tensor): Tensor {
  assertTensor(x, 'nonzero');
  return nonzeroFrom(x, x.dataSync());
}

/** {@link nonzero} for every backend. */
export async function nonzeroAsync(x: Tensor): Promise<Tensor> {
  assertTensor(x, 'nonzero');
  return nonzeroFrom(x, await x.data());
}

function nonzeroFrom(x: Tensor, values: ArrayLike<number>): Tensor {
  const coords: number[] = [];
  const strides = x.strides;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0) {
      let r = i;
      for (const s of strides) {
        coords.push(Math.floor(r / s));
        r %= s;
      }
      count++;
    }
  }
  return x.engine.makeTensor(Int32Array.from(coords), [count, x.ndim], 'int32', x.backendName);
}

/** The elements of `x` where the bool `mask` (same shape) is true, as a 1-D tensor in row-major order. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  assertTensor(x, 'maskedSelect');
  assertTensor(mask, 'maskedSelect', 'mask');
  if (mask.dtype !== 'bool') throw new DTypeError(`maskedSelect: expected a bool mask, got ${mask.dtype}`);
  if (mask.shape.length !== x.shape.length || mask.shape.some((s, i) => s !== x.shape[i])) {
    throw new ShapeError(`maskedSelect: mask shape ${fmtShape(mask.shape)} does not match input shape ${fmtShape(x.shape)}`);
  }
  const flat = reshape(x, [sizeOf(x.shape)]);
  const m = mask.dataSync();
  const idx: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) idx.push(i);
  const index = x.engine.makeTensor(Int32Array.from(idx), [idx.length], 'int32', x.backendName);
  return indexSelect(flat, 0, index);
}
