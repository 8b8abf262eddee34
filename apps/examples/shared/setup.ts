/** Shared set-up of the examples: the CPU backend and autograd in the default engine. */
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';

/** Registers the CPU backend (with its fused optimizer kernels) and autograd. Idempotent. */
export function setupCpu(): void {
  registerCpuBackend();
  registerAutograd();
}
