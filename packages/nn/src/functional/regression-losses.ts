import { abs, assertTensor, div, lt, mul, sub, where, type Tensor } from '@backstep/tensor';
import { applyReduction, checkReduction, type Reduction } from './reduction.js';

/** The `reduction` option of the losses (default `'mean'`). */
export interface ReductionOptions {
  /** `'none'` keeps the per-element losses, `'mean'` (default) averages, `'sum'` adds. */
  reduction?: Reduction;
}

function diff(input: Tensor, target: Tensor, op: string): Tensor {
  assertTensor(input, op, 'input');
  assertTensor(target, op, 'target');
  return sub(input, target);
}

/** Mean squared error `(input - target)²` (PyTorch's `F.mse_loss`); shapes broadcast. */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const r = checkReduction(options.reduction ?? 'mean', 'mseLoss');
  const d = diff(input, target, 'mseLoss');
  return applyReduction(mul(d, d), r);
}

/** Mean absolute error `|input - target|` (PyTorch's `F.l1_loss`; gradient 0 where they are equal). */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const r = checkReduction(options.reduction ?? 'mean', 'l1Loss');
  return applyReduction(abs(diff(input, target, 'l1Loss')), r);
}

/**
 * Huber loss (PyTorch's `F.huber_loss`): with `z = |input - target|`, `0.5 z²` where `z < delta`
 * and `delta (z - 0.5 delta)` elsewhere. `delta` (default 1) must be positive.
 */
export function huberLoss(input: Tensor, target: Tensor, options: ReductionOptions & { delta?: number } = {}): Tensor {
  const r = checkReduction(options.reduction ?? 'mean', 'huberLoss');
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new RangeError(`huberLoss does not support non-positive values for delta, got ${delta}`);
  const d = diff(input, target, 'huberLoss');
  const z = abs(d);
  const quadratic = mul(mul(d, d), 0.5);
  const linear = mul(sub(z, 0.5 * delta), delta);
  return applyReduction(where(lt(z, delta), quadratic, linear), r);
}

/**
 * Smooth L1 loss (PyTorch's `F.smooth_l1_loss`): with `z = |input - target|`, `0.5 z² / beta`
 * where `z < beta` and `z - 0.5 beta` elsewhere; `beta = 0` is the L1 loss.
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: ReductionOptions & { beta?: number } = {}): Tensor {
  const r = checkReduction(options.reduction ?? 'mean', 'smoothL1Loss');
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new RangeError(`smoothL1Loss does not support negative values for beta, got ${beta}`);
  if (beta === 0) return l1Loss(input, target, { reduction: r });
  const d = diff(input, target, 'smoothL1Loss');
  const z = abs(d);
  const quadratic = div(mul(mul(d, d), 0.5), beta);
  const linear = sub(z, 0.5 * beta);
  return applyReduction(where(lt(z, beta), quadratic, linear), r);
}
