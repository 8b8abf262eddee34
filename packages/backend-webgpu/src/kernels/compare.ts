import { COMPARE_KERNELS, type CompareKernel, type KernelConfig } from '@backstep/tensor';
import { broadcastMap } from './broadcast.js';
import { assertSameDType, defineKernel, expectInputs, gpuBackend } from './define.js';
import { wgslType } from './wgsl.js';

/**
 * Predicates over `x0`, `x1` (NaN compares unequal; nonzero, NaN included, is true). `Z` is the dtype's
 * zero; `NAN0`/`NAN1` test for NaN explicitly (some devices compare NaN as ordered, so `NaN != 0` is false).
 */
const PREDICATES: Readonly<Record<CompareKernel, string>> = {
  eq: 'x0 == x1',
  ne: 'x0 != x1',
  lt: 'x0 < x1',
  le: 'x0 <= x1',
  gt: 'x0 > x1',
  ge: 'x0 >= x1',
  logicalAnd: '(x0 != Z || NAN0) && (x1 != Z || NAN1)',
  logicalOr: '(x0 != Z || NAN0) || (x1 != Z || NAN1)',
};

/** A WebGPU kernel for one broadcasting comparison/logical op; the output is bool. */
export function makeCompareKernel(name: CompareKernel): KernelConfig {
  return defineKernel(name, ({ inputs, backend }) => {
    const gpu = gpuBackend(backend, name);
    const [a, b] = expectInputs(name, inputs, 2);
    assertSameDType(name, [a.dtype, b.dtype]);
    const t = wgslType(a.dtype);
    const isFloat = t === 'f32';
    let pred = PREDICATES[name]
      .replaceAll('Z', isFloat ? '0.0' : '0')
      .replaceAll('NAN0', isFloat ? 'is_nan(x0)' : 'false')
      .replaceAll('NAN1', isFloat ? 'is_nan(x1)' : 'false');
    // NaN is unequal to everything, whatever the device's comparison does with it
    if (isFloat && (name === 'eq' || name === 'ne' || name === 'lt' || name === 'le' || name === 'gt' || name === 'ge')) {
      pred = name === 'ne' ? `(is_nan(x0) || is_nan(x1) || ${pred})` : `(!is_nan(x0) && !is_nan(x1) && ${pred})`;
    }
    return broadcastMap(gpu, {
      op: name,
      key: `compare:${name}:${a.dtype}`,
      inputs: [a, b],
      types: [t, t],
      out: { dtype: 'bool', type: 'i32' },
      expr: `select(0, 1, ${pred})`,
    });
  });
}

/** Every comparison/logical kernel. */
export const COMPARE_WEBGPU_KERNELS: readonly KernelConfig[] = COMPARE_KERNELS.map(makeCompareKernel);
