import { contiguousStrides, fmtShape } from '@backstep/tensor';
import { stridedOffsets } from './broadcast-index.js';

/** How to walk a reduction: one base offset per output element and the offsets of the reduced elements. */
export interface ReducePlan {
  /** Output shape (reduced dims dropped, or kept as 1 with `keepdim`). */
  readonly outShape: number[];
  /** Input offset of each output element's first reduced element, row-major over the kept dims. */
  readonly bases: Int32Array;
  /** Offsets (relative to a base) of the reduced elements, row-major over the reduced dims. */
  readonly reduced: Int32Array;
  /** Whether one of the reduced dims has size 0. */
  readonly emptyReduction: boolean;
}

/**
 * Plans a reduction of a contiguous tensor of `shape` over `axes` (each in [0, rank), no repeats;
 * empty = no reduction, a plain copy). A 0-d tensor accepts axis 0 as a no-op, as PyTorch does.
 */
export function planReduction(op: string, shape: readonly number[], axes: readonly number[], keepdim: boolean): ReducePlan {
  const rank = shape.length;
  const isReduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) {
    if (rank === 0 && (a === 0 || a === -1)) continue;
    if (!Number.isInteger(a) || a < 0 || a >= rank) {
      throw new RangeError(`${op}: axis ${a} is out of range for a tensor of shape ${fmtShape(shape)}`);
    }
    if (isReduced[a]) throw new RangeError(`${op}: axis ${a} appears multiple times in ${JSON.stringify(axes)}`);
    isReduced[a] = true;
  }
  const strides = contiguousStrides(shape);
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const redShape: number[] = [];
  const redStrides: number[] = [];
  const outShape: number[] = [];
  let emptyReduction = false;
  for (let d = 0; d < rank; d++) {
    const size = shape[d] as number;
    if (isReduced[d]) {
      redShape.push(size);
      redStrides.push(strides[d] as number);
      if (size === 0) emptyReduction = true;
      if (keepdim) outShape.push(1);
    } else {
      keptShape.push(size);
      keptStrides.push(strides[d] as number);
      outShape.push(size);
    }
  }
  return {
    outShape,
    bases: stridedOffsets(keptShape, keptStrides),
    reduced: stridedOffsets(redShape, redStrides),
    emptyReduction,
  };
}
