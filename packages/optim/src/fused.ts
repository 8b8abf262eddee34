import type { Tensor } from '@backstep/tensor';
import type { Param } from './types.js';

/**
 * The fused-kernel protocol. A backend may register optional in-place optimizer kernels
 * (`'sgdStep'`, `'adamStep'`, see README.md "Fused kernels"); the optimizers use one when
 * `engine.hasKernel(name, backend)` holds for the parameters' backend and fall back to
 * composed tensor ops otherwise.
 *
 * A fused kernel is multi-tensor: its inputs are consecutive per-parameter tuples (e.g.
 * `[param, grad, expAvg, expAvgSq]` for each parameter), its attrs hold the hyperparameters and
 * per-parameter arrays (e.g. `step`). It WRITES the parameter and state buffers IN PLACE and
 * returns `[]`. Before calling it, the optimizer makes every buffer the kernel writes exclusive
 * (`tensor.ensureExclusive()`, copy-on-write for buffers shared with snapshots), and afterwards
 * bumps those tensors' `version` (they changed in place).
 */

/** Whether `name` is registered for the backend of `p`. */
export function hasFusedKernel(name: string, p: Param): boolean {
  return p.engine.hasKernel(name, p.backendName);
}

/**
 * Runs an in-place fused kernel: makes `mutated` exclusive, calls the kernel with the buffers of
 * `inputs` (all on one backend) and `attrs`, and bumps the version of every mutated tensor.
 */
export function runFusedKernel(name: string, inputs: readonly Tensor[], mutated: readonly Tensor[], attrs: Record<string, unknown>): void {
  const first = inputs[0];
  if (first === undefined) return;
  for (const t of mutated) t.ensureExclusive();
  const engine = first.engine;
  const kernel = engine.registry.get(name, first.backendName);
  for (const t of inputs) {
    t.assertLive(name);
    if (t.backendName !== first.backendName) {
      throw new Error(`${name}: expected all tensors on backend '${first.backendName}', found one on '${t.backendName}'`);
    }
  }
  kernel.kernelFunc({ inputs: inputs.map((t) => t.info()), attrs, backend: engine.getBackend(first.backendName) });
  for (const t of mutated) t.version++;
}

/** Splits parameters by backend, keeping order (a fused call runs on one backend). */
export function byBackend(params: readonly Param[]): Param[][] {
  const m = new Map<string, Param[]>();
  for (const p of params) {
    let l = m.get(p.backendName);
    if (l === undefined) m.set(p.backendName, (l = []));
    l.push(p);
  }
  return [...m.values()];
}
