import { check, checkLr } from './validate.js';

/** LBFGS hyperparameters (torch 1.13's names, camelCase, and defaults). */
export interface LBFGSOptions {
  /** Learning rate: the step length without line search, the initial trial step with it (default 1). */
  lr?: number;
  /** Maximal number of iterations per `step()` (default 20). */
  maxIter?: number;
  /** Maximal number of closure evaluations per `step()` (default `floor(maxIter * 5 / 4)`). */
  maxEval?: number | null;
  /** Stop when `max |grad|` is at most this (first-order optimality, default 1e-7). */
  toleranceGrad?: number;
  /** Stop when the loss, the parameters or the directional derivative change less than this (default 1e-9). */
  toleranceChange?: number;
  /** Number of curvature pairs kept (default 100). */
  historySize?: number;
  /** `'strong_wolfe'` or null (fixed step `lr`, the default). */
  lineSearchFn?: 'strong_wolfe' | null;
}

/** The hyperparameters LBFGS's (single) param group holds. */
export interface LBFGSHyper {
  lr: number;
  maxIter: number;
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: 'strong_wolfe' | null;
}

/** The hyperparameters of `options` with PyTorch's defaults filled in. */
export function lbfgsDefaults(options: LBFGSOptions | null | undefined): LBFGSHyper {
  const o = options ?? {};
  const maxIter = o.maxIter ?? 20;
  return {
    lr: o.lr ?? 1,
    maxIter,
    maxEval: o.maxEval ?? Math.floor((maxIter * 5) / 4),
    toleranceGrad: o.toleranceGrad ?? 1e-7,
    toleranceChange: o.toleranceChange ?? 1e-9,
    historySize: o.historySize ?? 100,
    lineSearchFn: o.lineSearchFn ?? null,
  };
}

function checkPositiveInt(g: Record<string, unknown>, key: string): void {
  check(g[key], (v) => Number.isInteger(v) && v >= 1, `Invalid ${key} value (expected a positive integer)`);
}

/** Checks LBFGS hyperparameters. */
export function validateLBFGS(g: Record<string, unknown>): void {
  checkLr(g);
  checkPositiveInt(g, 'maxIter');
  checkPositiveInt(g, 'maxEval');
  check(g['toleranceGrad'], () => true, 'Invalid toleranceGrad value');
  check(g['toleranceChange'], () => true, 'Invalid toleranceChange value');
  checkPositiveInt(g, 'historySize');
  const ls = g['lineSearchFn'];
  if (ls !== null && ls !== 'strong_wolfe') {
    throw new RangeError(`Invalid lineSearchFn value: ${JSON.stringify(ls)} (only 'strong_wolfe' is supported, or null)`);
  }
}
