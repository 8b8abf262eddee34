/**
 * Gradient rules of the elementwise unary kernels. Rules that are cheaper with the op's output
 * (exp, sqrt, rsqrt, tanh, sigmoid, relu, expm1, reciprocal) save it instead of the input.
 */
import { add, cos, div, erf, exp, gt, mul, neg, sign, sin, sub, tanh, where, type Tensor } from '@backstep/tensor';
import type { GradContext, GradRule } from '../rule.js';
import { zerosOf, type RuleTable } from './helpers.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** A rule using the saved input `x`. */
function ofInput(name: string, f: (g: Tensor, x: Tensor) => Tensor): GradRule {
  return { name, saveInputs: [0], backward: (g, ctx) => [f(g, ctx.saved(0))] };
}

/** A rule using the saved output `y`. */
function ofOutput(name: string, f: (g: Tensor, y: Tensor) => Tensor): GradRule {
  return { name, saveOutput: true, backward: (g, ctx) => [f(g, ctx.savedOutput())] };
}

/** A rule for piecewise-constant functions: the gradient is zero (as in PyTorch). */
function zeroGrad(name: string): GradRule {
  return { name, backward: (g: Tensor, ctx: GradContext) => [zerosOf(ctx.inputShapes[0] as readonly number[], g)] };
}

/** Gradient rules of the unary kernels. */
export const UNARY_RULES: RuleTable = {
  neg: { name: 'NegBackward', backward: (g) => [neg(g)] },
  exp: ofOutput('ExpBackward', (g, y) => mul(g, y)),
  log: ofInput('LogBackward', (g, x) => div(g, x)),
  sqrt: ofOutput('SqrtBackward', (g, y) => div(g, mul(y, 2))),
  // d/dx x^(-1/2) = -1/2 x^(-3/2) = -1/2 y³
  rsqrt: ofOutput('RsqrtBackward', (g, y) => mul(g, mul(mul(mul(y, y), y), -0.5))),
  // abs'(0) = 0, as sign(0) = 0
  abs: ofInput('AbsBackward', (g, x) => mul(g, sign(x))),
  sign: zeroGrad('SignBackward'),
  floor: zeroGrad('FloorBackward'),
  ceil: zeroGrad('CeilBackward'),
  round: zeroGrad('RoundBackward'),
  sin: ofInput('SinBackward', (g, x) => mul(g, cos(x))),
  cos: ofInput('CosBackward', (g, x) => mul(g, neg(sin(x)))),
  tanh: ofOutput('TanhBackward', (g, y) => mul(g, sub(1, mul(y, y)))),
  sigmoid: ofOutput('SigmoidBackward', (g, y) => mul(g, mul(y, sub(1, y)))),
  // relu'(0) = 0: the gradient passes where the output is positive
  relu: ofOutput('ReluBackward', (g, y) => where(gt(y, 0), g, 0)),
  // exact GELU: d/dx x·Φ(x) = Φ(x) + x·φ(x)
  gelu: ofInput('GeluBackward', (g, x) => {
    const cdf = mul(add(erf(mul(x, SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(mul(x, x), -0.5)), INV_SQRT_2PI);
    return mul(g, add(cdf, mul(x, pdf)));
  }),
  // tanh-approximated GELU: 0.5·x·(1 + tanh(β(x + κx³))), β = √(2/π), κ = 0.044715 (PyTorch's formula)
  gelutanh: ofInput('GeluBackward', (g, x) => {
    const beta = Math.sqrt(2 / Math.PI);
    const kappa = 0.044715;
    const x2 = mul(x, x);
    const inner = mul(add(x, mul(mul(x2, x), kappa)), beta);
    const t = tanh(inner);
    const left = mul(add(t, 1), 0.5);
    const right = mul(mul(mul(x, 0.5), sub(1, mul(t, t))), mul(add(mul(x2, 3 * kappa), 1), beta));
    return mul(g, add(left, right));
  }),
  erf: ofInput('ErfBackward', (g, x) => mul(g, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI))),
  log1p: ofInput('Log1pBackward', (g, x) => div(g, add(x, 1))),
  expm1: ofOutput('Expm1Backward', (g, y) => mul(g, add(y, 1))),
  reciprocal: ofOutput('ReciprocalBackward', (g, y) => mul(neg(g), mul(y, y))),
};
