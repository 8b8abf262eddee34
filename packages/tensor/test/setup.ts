// Tests of the tensor package run on the CPU backend. The tensor package must not depend on a
// backend (DESIGN.md), so the backend is imported by path here rather than as a dependency.
import { registerCpuBackend } from '../../backend-cpu/src/index.js';

/** Registers the CPU backend into the default engine (idempotent). */
export function useCpu(): void {
  registerCpuBackend();
}
