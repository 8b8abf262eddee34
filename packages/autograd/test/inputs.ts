/** Deterministic float64 test inputs for gradcheck, kept away from the kinks of piecewise functions. */
import { Generator, getEngine, tensor, type Tensor } from '@backstep/tensor';

const gen = new Generator(1234);

function make(values: number[], shape: readonly number[], requiresGrad: boolean): Tensor {
  return tensor(Float64Array.from(values), { shape: [...shape], dtype: 'float64', requiresGrad });
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Uniform values in [lo, hi), float64, requiring grad unless said otherwise. */
export function uniform(shape: readonly number[], lo = -1, hi = 1, requiresGrad = true): Tensor {
  return make(Array.from({ length: count(shape) }, () => lo + (hi - lo) * gen.nextDouble()), shape, requiresGrad);
}

/** Values with magnitude in [0.2, 1.2) and random sign (away from 0). */
export function nonzero(shape: readonly number[], requiresGrad = true): Tensor {
  return make(Array.from({ length: count(shape) }, () => (gen.nextDouble() < 0.5 ? -1 : 1) * (0.2 + gen.nextDouble())), shape, requiresGrad);
}

/** Values whose fractional part lies in [0.1, 0.4] or [0.6, 0.9] (away from integers and halves). */
export function offGrid(shape: readonly number[]): Tensor {
  return make(
    Array.from({ length: count(shape) }, () => {
      const whole = Math.floor(gen.nextDouble() * 6) - 3;
      const frac = 0.1 + 0.3 * gen.nextDouble() + (gen.nextDouble() < 0.5 ? 0 : 0.5);
      return whole + frac;
    }),
    shape,
    true,
  );
}

/** Distinct values (a shuffled arithmetic progression with spacing 0.1, plus small noise). */
export function distinct(shape: readonly number[], requiresGrad = true): Tensor {
  const n = count(shape);
  const v = Array.from({ length: n }, (_, i) => -1 + 0.1 * i + 0.01 * gen.nextDouble());
  for (let i = n - 1; i > 0; i--) {
    const j = gen.nextInt(0, i + 1);
    [v[i], v[j]] = [v[j] as number, v[i] as number];
  }
  return make(v, shape, requiresGrad);
}

/** Exact values, float64, requiring grad. */
export function exact(values: number[], shape: readonly number[], requiresGrad = true): Tensor {
  return make(values, shape, requiresGrad);
}

/** An int32 index tensor. */
export function index(values: number[], shape: readonly number[] = [values.length]): Tensor {
  return getEngine().makeTensor(Int32Array.from(values), [...shape], 'int32');
}
