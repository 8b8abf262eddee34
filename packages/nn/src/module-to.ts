import { DTYPES, DTypeError, isFloat, type DType, type Tensor } from '@backstep/tensor';
import type { Module } from './module.js';
import { withNoGrad } from './no-grad.js';
import { Parameter } from './parameter.js';

/** What `Module.to()` accepts: a float dtype, a backend name, or both. */
export type ToTarget = DType | string | { dtype?: DType; backend?: string };

function splitTarget(target: ToTarget): { dtype?: DType; backend?: string } {
  if (typeof target === 'string') return DTYPES.includes(target as DType) ? { dtype: target as DType } : { backend: target };
  if (target === null || typeof target !== 'object') throw new TypeError(`Module.to: expected a dtype, a backend name or {dtype, backend}, got ${String(target)}`);
  return target;
}

/** The converted copy of `t` (or `t` itself when nothing changes); floats only change dtype. */
function convert(t: Tensor, dtype: DType | undefined, backend: string | undefined): Tensor {
  const d = dtype !== undefined && isFloat(t.dtype) && t.dtype !== dtype ? dtype : undefined;
  const b = backend !== undefined && t.backendName !== backend ? backend : undefined;
  if (d === undefined && b === undefined) return t;
  const detached = t.detach();
  const moved = b === undefined ? detached : detached.to(b);
  const cast = d === undefined ? moved : moved.to(d);
  if (moved !== detached && moved !== cast) moved.dispose();
  if (detached !== cast) detached.dispose();
  return cast;
}

/**
 * Implements `Module.to()` over a list of modules: converts every parameter, gradient and buffer
 * that changes, replacing parameters by new `Parameter`s registered under the same name.
 * Validates the target first (a float dtype, a registered backend).
 */
export function moveModuleTensors(modules: readonly Module[], target: ToTarget): void {
  const { dtype, backend } = splitTarget(target);
  if (dtype !== undefined && !isFloat(dtype)) {
    throw new DTypeError(`Module.to only accepts floating point dtypes, but got desired dtype=${dtype}`);
  }
  for (const m of modules) {
    for (const t of [...m._slots.parameters.values(), ...m._slots.buffers.values()]) {
      if (t !== null && backend !== undefined && !t.engine.hasBackend(backend)) {
        throw new Error(`Module.to: backend '${backend}' is not registered (registered: ${t.engine.backendNames().join(', ')})`);
      }
    }
  }
  withNoGrad(() => {
    for (const m of modules) {
      const attrs = m as unknown as Record<string, unknown>;
      for (const [name, p] of [...m._slots.parameters]) {
        if (p === null) continue;
        const data = convert(p, dtype, backend);
        if (data === p) continue;
        const np = new Parameter(data, p.requiresGrad);
        data.dispose();
        if (p.grad !== null) {
          const g = convert(p.grad, dtype, backend);
          np.grad = g.engine.keep(g);
        }
        attrs[name] = np;
      }
      for (const [name, b] of [...m._slots.buffers]) {
        if (b === null) continue;
        const nb = convert(b, dtype, backend);
        if (nb !== b) attrs[name] = b.engine.keep(nb);
      }
    }
  });
}
