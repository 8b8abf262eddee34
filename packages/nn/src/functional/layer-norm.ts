import { add, div, fmtShape, mean, mul, ShapeError, sqrt, sub, type Tensor } from '@backstep/tensor';

/**
 * Layer normalisation over the trailing `normalizedShape` dims (PyTorch's `F.layer_norm`):
 * `(x - mean) / √(var + eps) · weight + bias`, with the biased variance.
 */
export function layerNorm(input: Tensor, normalizedShape: readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const k = normalizedShape.length;
  const tail = input.shape.slice(input.ndim - k);
  if (k === 0 || input.ndim < k || tail.some((s, i) => s !== normalizedShape[i])) {
    throw new ShapeError(
      `layerNorm: given normalizedShape=${fmtShape(normalizedShape)}, expected input with shape [*, ${normalizedShape.join(', ')}], but got input of size ${fmtShape(input.shape)}`,
    );
  }
  const dims = Array.from({ length: k }, (_, i) => input.ndim - k + i);
  const mu = mean(input, dims, true);
  const centered = sub(input, mu);
  const variance = mean(mul(centered, centered), dims, true);
  let y = div(centered, sqrt(add(variance, eps)));
  if (weight !== undefined && weight !== null) y = mul(y, weight);
  if (bias !== undefined && bias !== null) y = add(y, bias);
  return y;
}
