import { cast, defaultGenerator, lt, mul, rand, type Generator, type Tensor } from '@backstep/tensor';

/** Throws unless `p` is a probability in [0, 1]. */
export function checkDropoutP(p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`dropout probability has to be between 0 and 1, but got ${String(p)}`);
  }
  return p;
}

/**
 * Inverted dropout (PyTorch's `F.dropout`): in training mode each element is zeroed with
 * probability `p` (drawn from `generator`, default the default generator) and the survivors are
 * scaled by `1 / (1 - p)`; otherwise (or with `p = 0`) the input is returned unchanged.
 * Gradients flow through the kept elements with the same scale.
 */
export function dropout(input: Tensor, p = 0.5, training = true, options: { generator?: Generator } = {}): Tensor {
  checkDropoutP(p);
  if (!training || p === 0) return input;
  if (p === 1) return mul(input, 0);
  const u = rand(input.shape, {
    dtype: input.dtype === 'float64' ? 'float64' : 'float32',
    backend: input.backendName,
    engine: input.engine,
    generator: options.generator ?? defaultGenerator,
  });
  const keep = lt(u, 1 - p);
  const scale = mul(cast(keep, input.dtype === 'float64' ? 'float64' : 'float32'), 1 / (1 - p));
  return mul(input, scale);
}
