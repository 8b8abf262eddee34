/** Gradcheck cases for the elementwise kernels (unary, binary with broadcasting, where, clamp, cast, copy). */
import * as T from '@backstep/tensor';
import type { GradCase } from './cases.js';
import { distinct, exact, nonzero, offGrid, uniform } from './inputs.js';

const unary = (kernel: string, fn: (x: T.Tensor) => T.Tensor, make = () => uniform([2, 3])): GradCase => ({
  kernel,
  name: `${kernel}`,
  inputs: () => [make()],
  fn,
});

/** Unary kernels. */
export const UNARY_CASES: GradCase[] = [
  unary('neg', T.neg),
  unary('exp', T.exp),
  unary('log', T.log, () => uniform([2, 3], 0.2, 2)),
  unary('sqrt', T.sqrt, () => uniform([2, 3], 0.2, 2)),
  unary('rsqrt', T.rsqrt, () => uniform([2, 3], 0.2, 2)),
  unary('abs', T.abs, () => nonzero([2, 3])),
  unary('sign', T.sign, () => nonzero([2, 3])),
  unary('sin', T.sin, () => uniform([2, 3], -3, 3)),
  unary('cos', T.cos, () => uniform([2, 3], -3, 3)),
  unary('tanh', T.tanh, () => uniform([2, 3], -2, 2)),
  unary('sigmoid', T.sigmoid, () => uniform([2, 3], -3, 3)),
  unary('relu', T.relu, () => nonzero([2, 3])),
  unary('gelu', (x) => T.gelu(x), () => uniform([2, 3], -3, 3)),
  unary('gelutanh', (x) => T.gelu(x, { approximate: 'tanh' }), () => uniform([2, 3], -3, 3)),
  unary('erf', T.erf, () => uniform([2, 3], -2, 2)),
  unary('floor', T.floor, () => offGrid([2, 3])),
  unary('ceil', T.ceil, () => offGrid([2, 3])),
  unary('round', T.round, () => offGrid([2, 3])),
  unary('log1p', T.log1p, () => uniform([2, 3], -0.5, 2)),
  unary('expm1', T.expm1, () => uniform([2, 3], -2, 2)),
  unary('reciprocal', T.reciprocal, () => nonzero([2, 3])),
];

const binary = (kernel: string, label: string, fn: (a: T.Tensor, b: T.Tensor) => T.Tensor, a: () => T.Tensor, b: () => T.Tensor): GradCase => ({
  kernel,
  name: `${kernel} (${label})`,
  inputs: () => [a(), b()],
  fn,
});

/** Two tensors whose elements differ by at least 0.1 everywhere (for maximum/minimum). */
function apart(shapeA: number[], shapeB: number[]): () => [T.Tensor, T.Tensor] {
  return () => {
    const b = uniform(shapeB);
    const n = shapeA.reduce((x, y) => x * y, 1);
    const va = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1.5 : -1.5) + 0.3 * Math.sin(i));
    return [exact(va, shapeA), b];
  };
}

/** Binary kernels, each with a broadcasting case. */
export const BINARY_CASES: GradCase[] = [
  binary('add', 'same shape', T.add, () => uniform([2, 3]), () => uniform([2, 3])),
  binary('add', 'broadcast [2,3] + [3]', T.add, () => uniform([2, 3]), () => uniform([3])),
  binary('add', 'broadcast [2,1] + [1,3]', T.add, () => uniform([2, 1]), () => uniform([1, 3])),
  binary('add', 'with a 0-d tensor', T.add, () => uniform([2, 3]), () => uniform([])),
  binary('sub', 'broadcast [3] - [2,3]', T.sub, () => uniform([3]), () => uniform([2, 3])),
  binary('mul', 'broadcast [2,3,4] * [3,1]', T.mul, () => uniform([2, 3, 4]), () => uniform([3, 1])),
  binary('mul', 'same input twice', (a) => T.mul(a, a), () => uniform([2, 3]), () => uniform([1])),
  binary('div', 'broadcast [2,3] / [2,1]', T.div, () => uniform([2, 3]), () => nonzero([2, 1])),
  binary('pow', 'tensor ** tensor, broadcast', T.pow, () => uniform([2, 3], 0.3, 2), () => uniform([3], -2, 2)),
  { kernel: 'pow', name: 'pow (x ** 3)', inputs: () => [uniform([2, 3])], fn: (x) => T.pow(x, 3) },
  { kernel: 'pow', name: 'pow (x ** 1.5)', inputs: () => [uniform([2, 3], 0.2, 2)], fn: (x) => T.pow(x, 1.5) },
  { kernel: 'pow', name: 'pow (2 ** x)', inputs: () => [uniform([2, 3])], fn: (x) => T.pow(2, x) },
  { kernel: 'maximum', name: 'maximum (broadcast)', inputs: apart([2, 3], [3]), fn: T.maximum },
  { kernel: 'minimum', name: 'minimum (broadcast)', inputs: apart([2, 3], [2, 1]), fn: T.minimum },
  binary('atan2', 'broadcast [2,3] vs [3]', T.atan2, () => nonzero([2, 3]), () => nonzero([3])),
];

const mask = (): T.Tensor => T.tensor([[true, false, true], [false, false, true]]);

/** where, clamp, cast, copy. */
export const MISC_CASES: GradCase[] = [
  { kernel: 'where', name: 'where (broadcast cond [2,3], a [3], b [2,1])', inputs: () => [uniform([3]), uniform([2, 1])], fn: (a, b) => T.where(mask(), a, b) },
  { kernel: 'where', name: 'where (maskedFill)', inputs: () => [uniform([2, 3])], fn: (x) => T.maskedFill(x, mask(), 0.5) },
  {
    kernel: 'clamp',
    name: 'clamp (min and max)',
    inputs: () => [exact([-2, -0.7, -0.3, 0.1, 0.6, 0.9, 1.5, 3], [2, 4])],
    fn: (x) => T.clamp(x, { min: -0.5, max: 0.75 }),
  },
  { kernel: 'clamp', name: 'clamp (min only)', inputs: () => [exact([-2, -0.7, -0.3, 0.1, 2], [5])], fn: (x) => T.clamp(x, { min: -0.5 }) },
  { kernel: 'clamp', name: 'clamp (max only)', inputs: () => [exact([-2, -0.7, -0.3, 0.1, 2], [5])], fn: (x) => T.clamp(x, { max: 0 }) },
  {
    kernel: 'cast',
    name: 'cast float64 -> float32 -> float64',
    inputs: () => [exact([0.5, -1.25, 2, 0.75], [2, 2])],
    fn: (x) => T.cast(T.mul(T.cast(x, 'float32'), 3), 'float64'),
    options: { eps: 1e-3, atol: 1e-3 },
  },
  { kernel: 'copy', name: 'copy (clone)', inputs: () => [uniform([2, 3])], fn: (x) => T.mul(T.clone(x), x) },
  { kernel: 'max', name: 'distinct helper sanity (amax)', inputs: () => [distinct([3, 4])], fn: (x) => T.amax(x, 1) },
];
