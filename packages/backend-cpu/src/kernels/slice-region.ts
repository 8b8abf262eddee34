import { contiguousStrides, fmtShape, ShapeError } from '@backstep/tensor';
import { stridedOffsets } from './broadcast-index.js';

/** The elements a `slice`/`sliceScatter` region covers. */
export interface SliceRegion {
  /** The region's shape: ceil((end - begin) / step) per dim. */
  readonly shape: number[];
  /** Offsets into the sliced tensor, row-major over the region. */
  readonly offsets: Int32Array;
}

/**
 * Validates begin/end/step against `shape` (0 ≤ begin ≤ end ≤ size, integer step ≥ 1) and lists
 * the offsets of the region.
 */
export function sliceRegion(
  op: string,
  shape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  step: readonly number[],
): SliceRegion {
  const rank = shape.length;
  if (begin.length !== rank || end.length !== rank || step.length !== rank) {
    throw new ShapeError(
      `${op}: begin/end/step need one entry per dim of ${fmtShape(shape)} ` +
        `(got ${begin.length}, ${end.length}, ${step.length})`,
    );
  }
  const strides = contiguousStrides(shape);
  const outShape: number[] = [];
  const outStrides: number[] = [];
  let offset = 0;
  for (let d = 0; d < rank; d++) {
    const size = shape[d] as number;
    const b = begin[d] as number;
    const e = end[d] as number;
    const s = step[d] as number;
    if (![b, e, s].every(Number.isInteger) || b < 0 || e < b || e > size || s < 1) {
      throw new RangeError(`${op}: invalid range begin=${b}, end=${e}, step=${s} for dim ${d} of size ${size}`);
    }
    outShape.push(Math.ceil((e - b) / s));
    outStrides.push((strides[d] as number) * s);
    offset += b * (strides[d] as number);
  }
  return { shape: outShape, offsets: stridedOffsets(outShape, outStrides, offset) };
}
