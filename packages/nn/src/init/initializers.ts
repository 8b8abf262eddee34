import { normal_ as normalOp, uniform_ as uniformOp, type Generator, type Tensor } from '@backstep/tensor';
import { withNoGrad } from '../no-grad.js';
import { calculateCorrectFan, calculateFanInAndFanOut, calculateGain, type FanMode, type Nonlinearity } from './gain.js';

/** Options shared by the random initialisers. */
export interface InitOptions {
  /** Generator to draw from (default: the default generator). */
  generator?: Generator;
}

/** Fills `t` in place with samples of U(a, b) (no gradient is recorded). Returns `t`. */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  return withNoGrad(() => uniformOp(t, a, b, options));
}

/** Fills `t` in place with samples of N(mean, std²). Returns `t`. */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  return withNoGrad(() => normalOp(t, mean, std, options));
}

/** Fills `t` in place with `value`. Returns `t`. */
export function constant_(t: Tensor, value: number): Tensor {
  return withNoGrad(() => t.fill_(value));
}

/** Fills `t` in place with ones. Returns `t`. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Fills `t` in place with zeros. Returns `t`. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/**
 * Xavier/Glorot uniform: U(-a, a) with `a = gain · √(6 / (fanIn + fanOut))`. Returns `t`.
 */
export function xavierUniform_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return uniform_(t, -a, a, options);
}

/** Xavier/Glorot normal: N(0, std²) with `std = gain · √(2 / (fanIn + fanOut))`. Returns `t`. */
export function xavierNormal_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  return normal_(t, 0, std, options);
}

/** Options of the Kaiming (He) initialisers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu); default 0. */
  a?: number;
  /** `'fanIn'` (default) preserves the forward variance, `'fanOut'` the backward one. */
  mode?: FanMode;
  /** Default `'leaky_relu'`. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, o: KaimingOptions): number {
  const fan = calculateCorrectFan(t, o.mode ?? 'fanIn');
  const gain = calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0);
  return gain / Math.sqrt(fan);
}

function kaimingOpts(aOrOptions: number | KaimingOptions): KaimingOptions {
  return typeof aOrOptions === 'number' ? { a: aOrOptions } : aOrOptions;
}

/**
 * Kaiming/He uniform: U(-bound, bound) with `bound = gain · √(3 / fan)`. `kaimingUniform_(w, { a:
 * Math.sqrt(5) })` is PyTorch's default `Linear`/`Conv` weight init, i.e. U(-1/√fanIn, 1/√fanIn).
 * The second argument may also be `a` itself. Returns `t`.
 */
export function kaimingUniform_(t: Tensor, aOrOptions: number | KaimingOptions = {}): Tensor {
  const o = kaimingOpts(aOrOptions);
  const bound = Math.sqrt(3) * kaimingStd(t, o);
  return uniform_(t, -bound, bound, o);
}

/** Kaiming/He normal: N(0, std²) with `std = gain / √fan`. Returns `t`. */
export function kaimingNormal_(t: Tensor, aOrOptions: number | KaimingOptions = {}): Tensor {
  const o = kaimingOpts(aOrOptions);
  return normal_(t, 0, kaimingStd(t, o), o);
}
