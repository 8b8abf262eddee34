import { COMPARE_KERNELS, type CompareKernel, type KernelConfig } from '@backstep/tensor';
import { broadcastBinary, type BinaryFn } from './binary.js';
import { defineKernel } from './define.js';
import { assertSameDType, cpuBackend } from './kernel-utils.js';
import { wasmCompareF32 } from '../wasm/select.js';
import { broadcastShapes, sizeOf } from '@backstep/tensor';

/** Comparison and logical predicates (1 = true). NaN compares unequal to everything; nonzero (NaN too) is true. */
const COMPARE_FNS: Readonly<Record<CompareKernel, BinaryFn>> = {
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

/**
 * A CPU kernel for one broadcasting comparison/logical op; the output is bool. float32
 * comparisons of same-shape operands or with a scalar run through WASM SIMD loops where available.
 */
export function makeCompareKernel(name: CompareKernel): KernelConfig {
  return defineKernel(name, ({ inputs, backend }) => {
    const cpu = cpuBackend(backend, name);
    const [a, b] = inputs;
    if (a === undefined || b === undefined) throw new TypeError(`${name}: expected two inputs`);
    assertSameDType(name, [a.dtype, b.dtype]);
    if (a.dtype === 'float32') {
      const shape = broadcastShapes(a.shape, b.shape, name);
      const out = cpu.alloc('bool', sizeOf(shape)) as Uint8Array;
      if (wasmCompareF32(name, cpu.dataOf(a) as Float32Array, cpu.dataOf(b) as Float32Array, out)) return cpu.makeOutput(out, shape, 'bool');
    }
    return broadcastBinary(cpu, name, a, b, 'bool', COMPARE_FNS[name]);
  });
}

/** Every comparison/logical kernel. */
export const COMPARE_CPU_KERNELS: readonly KernelConfig[] = COMPARE_KERNELS.map(makeCompareKernel);
