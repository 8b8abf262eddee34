import { fmtShape, ShapeError } from '@backstep/tensor';
import type { WebGpuBackend, WebGpuData } from '../webgpu-backend.js';
import { grid, shader } from './wgsl.js';

/**
 * Checks every value of an int32 index buffer against [0, size) on the GPU. A bad value is stored in
 * an error slot; the check is attached to `out`, so reading `out` (or anything computed from it)
 * throws `RangeError: <op>: index <v> is out of bounds for dimension <axis> with size <size>`.
 * Parameters: `[count, errorWord, size]`.
 */
export function checkIndices(gpu: WebGpuBackend, op: string, index: WebGpuData, count: number, axis: number, size: number, out: WebGpuData): void {
  const slot = gpu.errorSlot((v) => new RangeError(`${op}: index ${v} is out of bounds for dimension ${axis} with size ${size}`));
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

/**
 * For gather/scatter: checks that `index` has x's rank and is no larger than `x` outside `axis`
 * (and no larger than `src` anywhere, when given), as torch.gather/torch.scatter require.
 */
export function checkGatherShapes(op: string, xShape: readonly number[], indexShape: readonly number[], axis: number, srcShape?: readonly number[]): void {
  const rank = xShape.length;
  if (indexShape.length !== rank && !(rank === 0 && indexShape.length <= 1)) {
    throw new ShapeError(`${op}: index ${fmtShape(indexShape)} must have the same number of dims as the input ${fmtShape(xShape)}`);
  }
  for (let d = 0; d < indexShape.length; d++) {
    const i = indexShape[d] as number;
    if (d !== axis && rank > 0 && i > (xShape[d] as number)) {
      throw new ShapeError(`${op}: index ${fmtShape(indexShape)} is larger than the input ${fmtShape(xShape)} in dimension ${d}`);
    }
    if (srcShape !== undefined && i > (srcShape[d] ?? 1)) {
      throw new ShapeError(`${op}: index ${fmtShape(indexShape)} is larger than src ${fmtShape(srcShape)} in dimension ${d}`);
    }
  }
  if (srcShape !== undefined && srcShape.length !== indexShape.length && !(srcShape.length === 0 && rank === 0)) {
    throw new ShapeError(`${op}: src ${fmtShape(srcShape)} must have the same number of dims as index ${fmtShape(indexShape)}`);
  }
}
