import {
  add, assertTensor, clamp, detach, div, exp, fmtShape, log, log1p, mul, neg, ShapeError, sub, type Tensor,
} from '@backstep/tensor';
import { applyReduction, checkReduction, type Reduction } from './reduction.js';

/** Options of {@link binaryCrossEntropy}. */
export interface BceOptions {
  /** Rescaling weight, broadcast to the input's shape. */
  weight?: Tensor | null;
  /** Default `'mean'`. */
  reduction?: Reduction;
}

function sameShape(input: Tensor, target: Tensor, op: string): void {
  assertTensor(input, op, 'input');
  assertTensor(target, op, 'target');
  if (target.ndim !== input.ndim || target.shape.some((s, i) => s !== input.shape[i])) {
    throw new ShapeError(`${op}: Using a target size (${fmtShape(target.shape)}) that is different to the input size (${fmtShape(input.shape)}) is not supported. Please ensure they have the same size.`);
  }
}

/**
 * Binary cross-entropy on probabilities (PyTorch's `F.binary_cross_entropy`):
 * `-w · (y · max(log x, -100) + (1 - y) · max(log(1 - x), -100))`. The input gradient is PyTorch's
 * `w · (x - y) / max(x (1 - x), 1e-12)`, finite even where x is exactly 0 or 1 (it is attached as a
 * first-order term, so double-backward through the input is not supported); the target and the
 * weight get the gradients of the formula above.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? 'mean', 'binaryCrossEntropy');
  sameShape(input, target, 'binaryCrossEntropy');
  const x = detach(input);
  const logX = clamp(log(x), { min: -100 });
  const log1mX = clamp(log1p(neg(x)), { min: -100 });
  let loss = sub(mul(sub(target, 1), log1mX), mul(target, logX));
  if (input.requiresGrad && input.engine.isGradEnabled()) {
    const y = detach(target);
    const coef = div(sub(x, y), clamp(mul(sub(1, x), x), { min: 1e-12 }));
    const term = mul(input, coef);
    loss = add(loss, sub(term, detach(term)));
  }
  if (options.weight !== undefined && options.weight !== null) loss = mul(loss, options.weight);
  return applyReduction(loss, reduction);
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of positive examples, broadcast along the last dim (e.g. one per class). */
  posWeight?: Tensor | null;
}

/**
 * Sigmoid + binary cross-entropy in one numerically stable expression (PyTorch 1.13's
 * `F.binary_cross_entropy_with_logits`): with `m = max(-x, 0)` and `lw = 1 + (posWeight - 1) · y`,
 * `loss = (1 - y) · x + lw · (log(e^{-m} + e^{-x-m}) + m)`, times `weight`.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? 'mean', 'binaryCrossEntropyWithLogits');
  sameShape(input, target, 'binaryCrossEntropyWithLogits');
  const m = clamp(neg(input), { min: 0 });
  const logTerm = log(add(exp(neg(m)), exp(sub(neg(input), m))));
  const base = mul(sub(1, target), input);
  let loss: Tensor;
  if (options.posWeight !== undefined && options.posWeight !== null) {
    const logWeight = add(mul(sub(options.posWeight, 1), target), 1);
    loss = add(base, mul(logWeight, add(logTerm, m)));
  } else {
    loss = add(add(base, m), logTerm);
  }
  if (options.weight !== undefined && options.weight !== null) loss = mul(loss, options.weight);
  return applyReduction(loss, reduction);
}
