import { DTypeError, ShapeError } from '../errors.js';
import { fmtShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor } from './operands.js';
import { indexSelect, select, slice } from './indexing.js';
import { reshape, unsqueeze } from './shape-ops.js';

/** A Python-style slice `start:stop:step` (any part may be omitted). */
export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}

/** Builds a {@link Slice}: `slice_(1, 3)` is `1:3`, `slice_(null, null, 2)` is `::2`. */
export function sl(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

/**
 * One item of `x.index(...)`, as in PyTorch's `x[...]`:
 * - a number: selects (removes the dim; negative counts from the end);
 * - a {@link Slice} or a string like `':'`, `'1:3'`, `'::2'`, `'-1'`: slices;
 * - `'...'`: ellipsis; `null`: a new size-1 dim (PyTorch's `None`);
 * - an int32 tensor or a number[]: advanced (integer-array) indexing on that dim;
 * - a bool tensor: mask over the next `mask.ndim` dims.
 */
export type IndexItem = number | string | null | Slice | Tensor | readonly number[];

type Parsed =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number }
  | { kind: 'ellipsis' }
  | { kind: 'newaxis' }
  | { kind: 'tensor'; index: Tensor }
  | { kind: 'mask'; mask: Tensor };

function parseString(s: string): Parsed {
  const str = s.trim();
  if (str === '...') return { kind: 'ellipsis' };
  if (/^-?\d+$/.test(str)) return { kind: 'int', value: Number(str) };
  const parts = str.split(':');
  if (parts.length < 2 || parts.length > 3) throw new SyntaxError(`index: cannot parse '${s}' (expected an int, '...', or start:stop[:step])`);
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p.trim() === '') return null;
    if (!/^-?\d+$/.test(p.trim())) throw new SyntaxError(`index: cannot parse '${s}': '${p}' is not an integer`);
    return Number(p);
  };
  return { kind: 'slice', start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) ?? 1 };
}

function parseItem(item: IndexItem, x: Tensor): Parsed {
  if (item === null) return { kind: 'newaxis' };
  if (typeof item === 'number') {
    if (!Number.isInteger(item)) throw new TypeError(`index: ${item} is not an integer`);
    return { kind: 'int', value: item };
  }
  if (typeof item === 'string') return parseString(item);
  if (item instanceof Tensor) {
    if (item.dtype === 'bool') return { kind: 'mask', mask: item };
    if (item.dtype !== 'int32') throw new DTypeError(`index: tensors used as indices must be int32 or bool, got ${item.dtype}`);
    return { kind: 'tensor', index: item };
  }
  if (Array.isArray(item)) {
    return { kind: 'tensor', index: x.engine.makeTensor(Int32Array.from(item as number[]), [item.length], 'int32', x.backendName) };
  }
  const s = item as Slice;
  return { kind: 'slice', start: s.start ?? null, stop: s.stop ?? null, step: s.step ?? 1 };
}

function consumes(p: Parsed): number {
  if (p.kind === 'int' || p.kind === 'slice' || p.kind === 'tensor') return 1;
  if (p.kind === 'mask') return p.mask.ndim;
  return 0;
}

/**
 * PyTorch-style indexing: `x.index(1)`, `x.index(':', '1:3')`, `x.index('...', sl(0, 2))`,
 * `x.index([0, 2, 2])`, `x.index(mask)`. Basic items are applied first; at most one advanced
 * (tensor/array/mask) item is supported. Gradients flow through every form.
 */
export function index(x: Tensor, ...items: IndexItem[]): Tensor {
  assertTensor(x, 'index');
  const parsed = items.map((it) => parseItem(it, x));
  const ell = parsed.filter((p) => p.kind === 'ellipsis').length;
  if (ell > 1) throw new SyntaxError('index: an index can only have a single ellipsis (...)');
  const used = parsed.reduce((n, p) => n + consumes(p), 0);
  if (used > x.ndim) throw new RangeError(`index: too many indices for tensor of dimension ${x.ndim} (got ${used})`);
  const advanced = parsed.filter((p) => p.kind === 'tensor' || p.kind === 'mask');
  if (advanced.length > 1) throw new Error('index: more than one advanced (tensor, array or mask) index is not supported yet; index in two steps');

  let cur = x;
  let d = 0;
  let adv: { dim: number; p: Parsed } | null = null;
  for (const p of parsed) {
    switch (p.kind) {
      case 'int': {
        const size = cur.shape[d] as number;
        if (p.value < -size || p.value >= size) {
          throw new RangeError(`index: index ${p.value} is out of bounds for dimension ${d} with size ${size}`);
        }
        cur = select(cur, d, p.value);
        break;
      }
      case 'slice':
        cur = slice(cur, d, p.start, p.stop, p.step);
        d++;
        break;
      case 'newaxis':
        cur = unsqueeze(cur, d);
        d++;
        break;
      case 'ellipsis':
        d += x.ndim - used;
        break;
      case 'tensor':
      case 'mask':
        adv = { dim: d, p };
        d += consumes(p);
        break;
    }
  }
  if (adv === null) return cur;
  if (adv.p.kind === 'tensor') {
    const idx = adv.p.index;
    const size = cur.shape[adv.dim] as number;
    const flatIdx = reshape(idx, [idx.numel()]);
    const vals = idx.engine.getBackend(idx.backendName).supportsSyncRead ? flatIdx.dataSync() : null;
    const normalised = vals !== null && vals.some((v) => v < 0)
      ? idx.engine.makeTensor(Int32Array.from(vals, (v) => (v < 0 ? v + size : v)), [vals.length], 'int32', idx.backendName)
      : flatIdx;
    const picked = indexSelect(cur, adv.dim, normalised);
    return reshape(picked, [...cur.shape.slice(0, adv.dim), ...idx.shape, ...cur.shape.slice(adv.dim + 1)]);
  }
  const mask = (adv.p as { mask: Tensor }).mask;
  const k = mask.ndim;
  const region = cur.shape.slice(adv.dim, adv.dim + k);
  if (region.length !== k || region.some((s, i) => s !== mask.shape[i])) {
    throw new ShapeError(`index: the shape of the mask ${fmtShape(mask.shape)} does not match the shape of the indexed tensor ${fmtShape(cur.shape)} at dimension ${adv.dim}`);
  }
  const merged = reshape(cur, [...cur.shape.slice(0, adv.dim), sizeOf(region), ...cur.shape.slice(adv.dim + k)]);
  const m = mask.dataSync();
  const pos: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) pos.push(i);
  const idxT = x.engine.makeTensor(Int32Array.from(pos), [pos.length], 'int32', x.backendName);
  return indexSelect(merged, adv.dim, idxT);
}
