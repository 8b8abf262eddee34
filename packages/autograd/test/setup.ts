import { registerCpuBackend } from '@backstep/backend-cpu';
import { getEngine, type Tensor } from '@backstep/tensor';
import { registerAutograd } from '../src/index.js';

/** Registers the CPU backend and autograd into the default engine (idempotent). */
export function setup(): void {
  registerCpuBackend(getEngine());
  registerAutograd(getEngine());
}

/** A tensor's values as a flat number array. */
export function values(t: Tensor | null | undefined): number[] {
  if (t === null || t === undefined) throw new Error('expected a tensor, got null');
  return Array.from(t.dataSync() as ArrayLike<number>);
}
