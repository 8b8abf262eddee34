import { indexOutOfBoundsError } from '@backstep/tensor';
import type { WebGpuBackend, WebGpuData } from '../webgpu-backend.js';
import { grid, shader } from './wgsl.js';

/**
 * Checks every value of an int32 index buffer against [0, size) on the GPU. A bad value is stored in
 * an error slot; the check is attached to `out`, so reading `out` (or anything computed from it)
 * throws `@backstep/tensor`'s {@link indexOutOfBoundsError}
 * (`RangeError: <op>: index <v> is out of bounds for dimension <axis> with size <size>`).
 * Parameters: `[count, errorWord, size]`.
 */
export function checkIndices(gpu: WebGpuBackend, op: string, index: WebGpuData, count: number, axis: number, size: number, out: WebGpuData): void {
  const slot = gpu.errorSlot((v) => indexOutOfBoundsError(op, v, axis, size));
  gpu.dispatch({
    key: 'index-check',
    source: () =>
      shader({
        inputs: [['idx', 'i32']],
        outputs: [],
        error: true,
        body: `  let v = idx[i];
  if (v < 0 || v >= prm[2]) {
    if (atomicExchange(&err[u32(prm[1])], 1u) == 0u) { atomicStore(&err[u32(prm[1]) + 1u], bitcast<u32>(v)); }
  }`,
      }),
    inputs: [index],
    outputs: [],
    meta: [count, slot.word, size],
    workgroups: grid(count),
    errorSlot: slot,
  });
  out.checks = [...out.checks, slot.check];
}
