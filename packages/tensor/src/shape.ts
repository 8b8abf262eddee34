import { ShapeError } from './errors.js';

/** A tensor shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** Formats a shape the way error messages show it: `[2, 3]`. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Number of elements of a shape (1 for a 0-d shape). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-contiguous) strides of a shape, in elements. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** Throws unless `shape` is a list of non-negative integers. */
export function assertShape(shape: unknown, where = 'shape'): asserts shape is Shape {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${where}: expected a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
}

/** NumPy/PyTorch broadcasting of two shapes; the error names both shapes and the op. */
export function broadcastShapes(a: Shape, b: Shape, op = 'broadcast'): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together ` +
          `(dimension ${i - n}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Broadcasts any number of shapes. */
export function broadcastAll(shapes: readonly Shape[], op = 'broadcast'): number[] {
  let out: number[] = [];
  for (const s of shapes) out = broadcastShapes(out, s, op);
  return out;
}

/** Normalises a possibly negative dim into [0, rank); throws naming the valid range. */
export function normalizeDim(dim: number, rank: number, op = 'dim'): number {
  const lo = rank === 0 ? -1 : -rank;
  const hi = rank === 0 ? 0 : rank - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new RangeError(`${op}: dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}

/** Normalises a list of dims (or all dims when `dims` is undefined), sorted, rejecting repeats. */
export function normalizeDims(dims: number | readonly number[] | undefined | null, rank: number, op = 'dim'): number[] {
  if (dims === undefined || dims === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : [...dims];
  const out = list.map((d) => normalizeDim(d, rank, op));
  if (rank === 0) return [];
  if (new Set(out).size !== out.length) throw new RangeError(`${op}: dim ${JSON.stringify(list)} appears multiple times in the list of dims`);
  return out.sort((x, y) => x - y);
}

/** Whether two shapes are equal. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
