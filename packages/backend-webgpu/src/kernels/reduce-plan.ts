import { fmtShape } from '@backstep/tensor';
import { stridesOf } from './wgsl.js';

/** Kept and reduced dims of a reduction, each as (sizes, strides) with mergeable neighbours merged. */
export interface ReducePlan {
  /** Output shape (reduced dims dropped, or kept as 1 with `keepdim`). */
  outShape: number[];
  /** Number of output elements. */
  outSize: number;
  /** Number of elements reduced into each output element. */
  reduceSize: number;
  /** Kept dims: sizes and input strides (row-major over the output). */
  kept: { shape: number[]; strides: number[] };
  /** Reduced dims: sizes and input strides. */
  reduced: { shape: number[]; strides: number[] };
}

/** Merges neighbouring dims that are contiguous in memory (size-1 dims dropped). */
export function mergeDims(shape: readonly number[], strides: readonly number[]): { shape: number[]; strides: number[] } {
  const s: number[] = [];
  const t: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d] as number;
    const stride = strides[d] as number;
    if (size === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && (t[last] as number) === size * stride) {
      s[last] = (s[last] as number) * size;
      t[last] = stride;
    } else {
      s.push(size);
      t.push(stride);
    }
  }
  return { shape: s, strides: t };
}

/**
 * Plans a reduction of a contiguous tensor of `shape` over `axes` (each in [0, rank), no repeats;
 * empty axes reduce nothing). A 0-d tensor accepts axis 0 as a no-op, as PyTorch does.
 */
export function planReduction(op: string, shape: readonly number[], axes: readonly number[], keepdim: boolean): ReducePlan {
  const rank = shape.length;
  const isReduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) {
    if (rank === 0 && (a === 0 || a === -1)) continue;
    if (!Number.isInteger(a) || a < 0 || a >= rank) throw new RangeError(`${op}: axis ${a} is out of range for a tensor of shape ${fmtShape(shape)}`);
    if (isReduced[a]) throw new RangeError(`${op}: axis ${a} appears multiple times in ${JSON.stringify(axes)}`);
    isReduced[a] = true;
  }
  const strides = stridesOf(shape);
  const kept = { shape: [] as number[], strides: [] as number[] };
  const reduced = { shape: [] as number[], strides: [] as number[] };
  const outShape: number[] = [];
  let outSize = 1;
  let reduceSize = 1;
  for (let d = 0; d < rank; d++) {
    const size = shape[d] as number;
    const part = isReduced[d] ? reduced : kept;
    part.shape.push(size);
    part.strides.push(strides[d] as number);
    if (isReduced[d]) {
      reduceSize *= size;
      if (keepdim) outShape.push(1);
    } else {
      outSize *= size;
      outShape.push(size);
    }
  }
  return { outShape, outSize, reduceSize, kept: mergeDims(kept.shape, kept.strides), reduced: mergeDims(reduced.shape, reduced.strides) };
}
