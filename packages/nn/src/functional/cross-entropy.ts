import {
  add, assertTensor, div, fmtShape, isFloat, logSoftmax, mul, neg, reshape, ShapeError, sum, where, type Tensor,
} from '@backstep/tensor';
import { nllPerRow, nllRows, reduceRows } from './nll-loss.js';
import { checkReduction, type Reduction } from './reduction.js';

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** Per-class weights `[C]`. */
  weight?: Tensor | null;
  /** Class-index targets equal to this are ignored (default -100). */
  ignoreIndex?: number;
  /** Default `'mean'`. */
  reduction?: Reduction;
  /** Mixes the target with the uniform distribution: `(1 - ε) · target + ε / C` (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy between logits and targets (PyTorch 1.13's `F.cross_entropy`). The class dim is 1
 * (0 for an unbatched `[C]` input).
 *
 * - int32 class-index targets (`[N]` for `[N, C]`, `[N, d1, ...]` for `[N, C, d1, ...]`):
 *   `nllLoss(logSoftmax(input))` with `weight` and `ignoreIndex`; with label smoothing ε the loss
 *   is `(1 - ε) · nll + ε / C · smooth`, where `smooth = -Σ_c w_c · logp_c` per element, and its
 *   'mean' divides by Σ w_y (or the count) over non-ignored elements, exactly as PyTorch.
 * - float class-probability targets (same shape as input): `-Σ_c w_c · target_c · logp_c`, 'mean'
 *   divides by the number of elements N·d1·...
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? 'mean', 'crossEntropy');
  const ls = options.labelSmoothing ?? 0;
  if (!(ls >= 0 && ls <= 1)) throw new RangeError(`crossEntropy: labelSmoothing must be between 0.0 and 1.0. Got: ${ls}`);
  assertTensor(input, 'crossEntropy', 'input');
  assertTensor(target, 'crossEntropy', 'target');
  if (isFloat(target.dtype)) return probabilityTargets(input, target, options.weight ?? null, reduction, ls);
  const ignoreIndex = options.ignoreIndex ?? -100;
  const classDim = input.ndim === 1 ? 0 : 1;
  const logp = logSoftmax(input, classDim);
  const p = nllRows(logp, target, options.weight, ignoreIndex, 'crossEntropy');
  const denominator = sum(p.rowWeight);
  const nll = reduceRows(nllPerRow(p), reduction, p.outShape, denominator);
  if (ls === 0) return nll;
  const weighted = p.classWeight === null ? p.rows : mul(p.rows, p.classWeight);
  const smooth = where(p.ignored, 0, neg(sum(weighted, 1)));
  const smoothReduced = reduceRows(smooth, reduction, p.outShape, denominator);
  return add(mul(nll, 1 - ls), mul(smoothReduced, ls / p.numClasses));
}

function probabilityTargets(input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, ls: number): Tensor {
  if (input.ndim === 0 || target.ndim !== input.ndim || target.shape.some((s, i) => s !== input.shape[i])) {
    throw new ShapeError(`crossEntropy: class-probability targets must have the input's shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  const classDim = input.ndim === 1 ? 0 : 1;
  const c = input.shape[classDim] as number;
  const logp = logSoftmax(input, classDim);
  const tgt = ls > 0 ? add(mul(target, 1 - ls), ls / c) : target;
  let prod = mul(logp, tgt);
  if (weight !== null) {
    if (weight.ndim !== 1 || weight.shape[0] !== c) {
      throw new ShapeError(`crossEntropy: weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: ${fmtShape(weight.shape)}`);
    }
    const shape = input.shape.map((_, i) => (i === classDim ? c : 1));
    prod = mul(prod, reshape(weight, shape));
  }
  if (reduction === 'none') return neg(sum(prod, classDim));
  const total = neg(sum(prod));
  return reduction === 'sum' ? total : div(total, input.numel() / c);
}

