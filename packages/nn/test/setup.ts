import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { getEngine, tensor, type NestedArray, type Tensor } from '@backstep/tensor';

/** Registers the CPU backend and autograd into the default engine (both are idempotent). */
export function setup(): void {
  registerCpuBackend(getEngine());
  registerAutograd(getEngine());
}

/** A tensor's values as a flat number array. */
export function values(t: Tensor | null | undefined): number[] {
  if (t === null || t === undefined) throw new Error('expected a tensor, got null');
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** A float64 tensor from nested arrays. */
export function f64(data: NestedArray): Tensor {
  return tensor(data as number[], { dtype: 'float64' });
}

/** Asserts element-wise closeness with a readable message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-6, rtol = 1e-6): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: ${a} != expected ${e} (actual [${Array.from(actual).join(', ')}], expected [${Array.from(expected).join(', ')}])`);
    }
  }
}
