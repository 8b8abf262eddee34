import { allocArray, broadcastAll, DTypeError, type KernelConfig } from '@backstep/tensor';
import { broadcastOffsets } from './broadcast-index.js';
import { defineKernel } from './define.js';
import { assertSameDType, cpuBackend } from './kernel-utils.js';
import { wasmWhereF32 } from '../wasm/select.js';

/**
 * `where(cond, a, b)`: a where cond is true, else b; the three inputs broadcast together. float32
 * with a full-size condition and same-shape or scalar operands runs through a WASM SIMD loop.
 */
export const whereKernel: KernelConfig = defineKernel('where', ({ inputs, backend }) => {
  const cpu = cpuBackend(backend, 'where');
  const [cond, a, b] = inputs;
  if (cond === undefined || a === undefined || b === undefined) throw new TypeError('where: expected inputs cond, a, b');
  if (cond.dtype !== 'bool') throw new DTypeError(`where: expected a bool condition, got ${cond.dtype}`);
  assertSameDType('where', [a.dtype, b.dtype]);
  const shape = broadcastAll([cond.shape, a.shape, b.shape], 'where');
  const cv = cpu.dataOf(cond);
  const av = cpu.dataOf(a);
  const bv = cpu.dataOf(b);
  const n0 = shape.reduce((p, d) => p * d, 1);
  if ([cv, av, bv].every((v) => v.length === n0 || v.length === 1)) {
    // same shapes or scalars: no offset arrays
    const out = a.dtype === 'float32' || a.dtype === 'float64' ? cpu.alloc(a.dtype, n0) : allocArray(a.dtype, n0);
    if (a.dtype === 'float32' && wasmWhereF32(cv as Uint8Array, av as Float32Array, bv as Float32Array, out as Float32Array)) {
      return cpu.makeOutput(out, shape, a.dtype);
    }
    const cs = cv.length === 1;
    const as = av.length === 1;
    const bs = bv.length === 1;
    for (let i = 0; i < n0; i++) {
      out[i] = (cv[cs ? 0 : i] as number) !== 0 ? (av[as ? 0 : i] as number) : (bv[bs ? 0 : i] as number);
    }
    return cpu.makeOutput(out, shape, a.dtype);
  }
  const ci = broadcastOffsets(cond.shape, shape, 'where');
  const ai = broadcastOffsets(a.shape, shape, 'where');
  const bi = broadcastOffsets(b.shape, shape, 'where');
  const n = shape.reduce((p, d) => p * d, 1);
  const out = cpu.alloc(a.dtype, n);
  for (let i = 0; i < n; i++) {
    const c = cv[ci === null ? i : (ci[i] as number)] as number;
    out[i] = c !== 0 ? (av[ai === null ? i : (ai[i] as number)] as number) : (bv[bi === null ? i : (bi[i] as number)] as number);
  }
  return cpu.makeOutput(out, shape, a.dtype);
});
