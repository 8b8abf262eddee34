/** The nn suites' helpers: the shared CPU setup (tools/testing/cpu-setup.ts) plus float64 tensors and closeness checks. */
import { tensor, type NestedArray, type Tensor } from '@backstep/tensor';

export { setup, values } from '../../../tools/testing/cpu-setup.js';

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
