/**
 * Test helpers of the optim suites: engines with/without the fused CPU kernels, tensor
 * construction in an engine, synchronous reads and closeness checks. Golden files and the
 * tolerance rule are tools/testing/golden.ts's.
 */
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Engine, tensor, type DType, type Tensor } from '@backstep/tensor';
import { compareValues, flatData, type Tol } from '../../../tools/testing/golden.js';

/** A fresh engine with the CPU backend; `fused` also registers the fused optimizer kernels. */
export function makeEngine(fused: boolean): Engine {
  const engine = new Engine();
  registerCpuBackend(engine, { fused });
  return engine;
}

/** A tensor in `engine` from nested data with an explicit shape. */
export function mk(engine: Engine, data: unknown, shape: readonly number[], dtype: DType, requiresGrad = false): Tensor {
  return tensor(flatData(data), { engine, dtype, shape, requiresGrad });
}

/** Flat values of a tensor. */
export function vals(t: Tensor | null | undefined): number[] {
  if (t === null || t === undefined) throw new Error('expected a tensor');
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** Throws a readable error unless all elements are close (the golden tolerance rule). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, label = 'value'): void {
  const m = compareValues(actual, expected, tol, label);
  if (m !== null) throw new Error(m);
}

/** Float32 bits of a float32 tensor (or the float64 values' bits) for exact comparisons. */
export function bits(t: Tensor): number[] {
  const v = t.dataSync();
  if (v instanceof Float32Array) return Array.from(new Uint32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
  if (v instanceof Float64Array) return Array.from(new Uint32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
  return Array.from(v as ArrayLike<number>);
}
