import { ShapeError, type Tensor } from '@backstep/tensor';

/** Nonlinearity names of {@link calculateGain} (PyTorch's snake_case names and camelCase aliases). */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d' | 'sigmoid' | 'tanh' | 'relu'
  | 'leaky_relu' | 'leakyRelu' | 'selu';

const UNIT_GAIN = new Set([
  'linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d',
  'convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'sigmoid',
]);

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): 1 for linear/conv/sigmoid,
 * 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope `param`, default 0.01), 3/4
 * for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  if (UNIT_GAIN.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`negative_slope ${String(param)} not a valid number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/**
 * `[fanIn, fanOut]` of a weight (PyTorch's `_calculate_fan_in_and_fan_out`): for a `[out, in, ...k]`
 * tensor, `fanIn = in · prod(k)` and `fanOut = out · prod(k)`. Needs at least 2 dims.
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw new ShapeError(`Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape [${t.shape.join(', ')}])`);
  }
  let receptive = 1;
  for (let d = 2; d < t.ndim; d++) receptive *= t.shape[d] as number;
  return [(t.shape[1] as number) * receptive, (t.shape[0] as number) * receptive];
}

/** Fan mode of the Kaiming initialisers (PyTorch's `'fan_in'`/`'fan_out'`, or camelCase). */
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

/** The fan selected by `mode`. */
export function calculateCorrectFan(t: Tensor, mode: FanMode): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  if (mode === 'fanIn' || mode === 'fan_in') return fanIn;
  if (mode === 'fanOut' || mode === 'fan_out') return fanOut;
  throw new RangeError(`Mode ${String(mode)} not supported, please use one of fanIn, fanOut`);
}
