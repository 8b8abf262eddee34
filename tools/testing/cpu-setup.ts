/**
 * The default-engine setup of the CPU test suites (autograd, nn): the CPU backend and autograd
 * registered into the default engine, and a synchronous read of a tensor's values.
 */
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { getEngine, type Tensor } from '@backstep/tensor';

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
