import { KernelNotFoundError } from '../../errors.js';
import { KERNEL_NAMES } from '../../kernel-names.js';
import { roundTo } from '../harness.js';
import { assert } from '../harness.js';
import { ALL, type Suite } from '../suite.js';

/** Registration and buffer round-trip cases. */
export function registryCases(s: Suite): void {
  s.kernel('registry', () => {
    s.test('every kernel of KERNEL_NAMES is registered', async (c) => {
      const skip = new Set(s.options.skip ?? []);
      const missing = KERNEL_NAMES.filter((k) => !skip.has(k) && !c.engine.hasKernel(k, c.backendName));
      assert(missing.length === 0, `kernels not registered for '${c.backendName}': ${missing.join(', ')}`);
      assert(c.engine.getBackend(c.backendName).name === c.backendName, 'the backend reports another name');
    });
    s.test('an unregistered kernel throws a clear error', async (c) => {
      await c.expectError(() => c.engine.runKernel('noSuchKernel', [], {}, c.backendName), KernelNotFoundError, [
        "Kernel 'noSuchKernel' not registered for backend",
        c.backendName,
      ]);
    });
    s.each(ALL, 'write then read returns the values', async (c, dtype) => {
      const vals = [0, 1, -2, 3.5, 0.1, 1e6 + 0.5].map((v) => roundTo(dtype, v));
      await c.expect(c.t(vals, [2, 3], dtype), { shape: [2, 3], dtype, values: vals }, 'exact');
      await c.expect(c.t([], [0, 4], dtype), { shape: [0, 4], dtype, values: [] });
      await c.expect(c.t([vals[3] as number], [], dtype), { shape: [], dtype, values: [vals[3] as number] });
    });
  });
}
