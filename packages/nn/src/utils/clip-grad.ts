import { abs, add, amax, cast, clamp, div, isFloat, norm, stack, Tensor, tensor, type DType } from '@backstep/tensor';
import { withNoGrad } from '../no-grad.js';

/** Parameters to clip: one tensor or an iterable of tensors (anything with a `.grad`). */
export type ParametersArg = Tensor | Iterable<Tensor>;

function listOf(parameters: ParametersArg): Tensor[] {
  return parameters instanceof Tensor ? [parameters] : [...parameters];
}

function gradsOf(list: readonly Tensor[]): Tensor[] {
  return list.map((p) => p.grad).filter((g): g is Tensor => g !== null);
}

/** Options of {@link clipGradNorm_}. */
export interface ClipGradNormOptions {
  /** The p of the p-norm: any positive number or `Infinity` (default 2). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite (reads it synchronously; default false). */
  errorIfNonfinite?: boolean;
}

/**
 * Clips the gradients of `parameters` in place so that their combined norm (the p-norm of the
 * vector of every gradient's p-norm) is at most `maxNorm` (PyTorch's `clip_grad_norm_`): each
 * gradient is multiplied by `min(1, maxNorm / (total + 1e-6))`. Parameters without a gradient are
 * skipped. Returns the total norm before clipping as a 0-d tensor (0 when there are no gradients).
 */
export function clipGradNorm_(parameters: ParametersArg, maxNorm: number, options: ClipGradNormOptions = {}): Tensor {
  const normType = options.normType ?? 2;
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm)) throw new TypeError(`clipGradNorm_: maxNorm must be a number, got ${String(maxNorm)}`);
  if (!(normType > 0)) throw new RangeError(`clipGradNorm_: normType must be positive or Infinity, got ${normType}`);
  const list = listOf(parameters);
  const grads = gradsOf(list);
  if (grads.length === 0) {
    const like = list[0];
    return like === undefined ? tensor(0) : like.engine.makeTensor(new Float32Array([0]), [], 'float32', like.backendName);
  }
  const engine = (grads[0] as Tensor).engine;
  return withNoGrad(() =>
    engine.tidy(() => {
      const dtype: DType = grads.some((g) => g.dtype === 'float64') ? 'float64' : 'float32';
      const norms = grads.map((g) => {
        const gf = isFloat(g.dtype) ? g : cast(g, dtype);
        return normType === Infinity ? amax(abs(gf)) : norm(gf, normType);
      });
      const all = stack(norms.map((n) => cast(n, dtype)));
      const total = normType === Infinity ? amax(all) : norm(all, normType);
      if (options.errorIfNonfinite) {
        const v = total.item();
        if (!Number.isFinite(v)) {
          throw new Error(`The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`errorIfNonfinite: false\``);
        }
      }
      const coef = clamp(div(maxNorm, add(total, 1e-6)), { max: 1 });
      for (const g of grads) g.mul_(coef);
      return total;
    }),
  );
}

/**
 * Clamps every gradient of `parameters` in place to `[-clipValue, clipValue]` (PyTorch's
 * `clip_grad_value_`). Parameters without a gradient are skipped.
 */
export function clipGradValue_(parameters: ParametersArg, clipValue: number): void {
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) throw new TypeError(`clipGradValue_: clipValue must be a number, got ${String(clipValue)}`);
  const grads = gradsOf(listOf(parameters));
  withNoGrad(() => {
    for (const g of grads) g.clamp_({ min: -clipValue, max: clipValue });
  });
}
