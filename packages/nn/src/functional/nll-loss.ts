import {
  cast, div, eq, fmtShape, gather, indexSelect, logicalNot, mul, neg, reshape, ShapeError, sum, unsqueeze, where, type Tensor,
} from '@backstep/tensor';
import { checkTargetRange, classRows, type ClassRows } from './class-layout.js';
import { checkReduction, type Reduction } from './reduction.js';

/** Options of {@link nllLoss}. */
export interface NllLossOptions {
  /** Per-class weights `[C]` (default: all 1). */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing, not even to the mean's denominator (default -100). */
  ignoreIndex?: number;
  /** Default `'mean'`: sum(w_y · l) / sum(w_y) over non-ignored elements. */
  reduction?: Reduction;
}

/** The per-row pieces shared by `nllLoss` and `crossEntropy`. */
export interface NllRows extends ClassRows {
  /** `[M]` bool: the target equals ignoreIndex. */
  ignored: Tensor;
  /** `[M]` int32 targets with ignored entries replaced by 0 (safe to gather). */
  safeTarget: Tensor;
  /** `[M]` effective weights `w_y` (0 where ignored). */
  rowWeight: Tensor;
  /** `[C]` class weights cast to the input dtype, or null. */
  classWeight: Tensor | null;
}

/** Validates and prepares a class-index loss: rows, safe targets and effective weights. */
export function nllRows(input: Tensor, target: Tensor, weight: Tensor | null | undefined, ignoreIndex: number, op: string): NllRows {
  const base = classRows(input, target, op);
  const c = base.numClasses;
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${op}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  checkTargetRange(base.target, c, ignoreIndex);
  let classWeight: Tensor | null = null;
  if (weight !== undefined && weight !== null) {
    if (weight.ndim !== 1 || weight.shape[0] !== c) {
      throw new ShapeError(`${op}: weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: ${fmtShape(weight.shape)}`);
    }
    classWeight = cast(weight, base.rows.dtype);
  }
  const ignored = eq(base.target, ignoreIndex);
  const safeTarget = where(ignored, 0, base.target);
  const keep = cast(logicalNot(ignored), base.rows.dtype);
  const rowWeight = classWeight === null ? keep : mul(indexSelect(classWeight, 0, safeTarget), keep);
  return { ...base, ignored, safeTarget, rowWeight, classWeight };
}

/** `-w_y · input[y]` per row (`[M]`). */
export function nllPerRow(p: NllRows): Tensor {
  const picked = reshape(gather(p.rows, 1, unsqueeze(p.safeTarget, 1)), [p.target.shape[0] as number]);
  return neg(mul(picked, p.rowWeight));
}

/** Reduces per-row values: 'none' keeps the target's shape, 'mean' divides by `denominator`. */
export function reduceRows(perRow: Tensor, reduction: Reduction, outShape: readonly number[], denominator: Tensor): Tensor {
  if (reduction === 'none') return reshape(perRow, outShape);
  const total = sum(perRow);
  return reduction === 'sum' ? total : div(total, denominator);
}

/**
 * Negative log-likelihood loss (PyTorch's `F.nll_loss`): `input` holds log-probabilities `[N, C]`
 * (or `[N, C, d1, ...]`, or `[C]`), `target` int32 class indices `[N]` (or `[N, d1, ...]`, or 0-d).
 * The loss of an element is `-weight[y] · input[y]`; `'mean'` divides by the sum of the weights of
 * the non-ignored targets.
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? 'mean', 'nllLoss');
  const p = nllRows(input, target, options.weight, options.ignoreIndex ?? -100, 'nllLoss');
  return reduceRows(nllPerRow(p), reduction, p.outShape, sum(p.rowWeight));
}
