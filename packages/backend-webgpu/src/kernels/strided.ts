import type { WebGpuBackend, WebGpuData } from '../webgpu-backend.js';
import { grid, shader, stridedFn } from './wgsl.js';

/**
 * Copies `src` into `dst` through strides, treating every dtype as 32-bit words (all WebGPU dtypes
 * are 4 bytes), so one pipeline serves transpose, expand, slice, sliceScatter and concat.
 *
 * - `gather` mode walks `shape` row-major over `dst` (contiguous) and reads
 *   `src[offset + Σ pos[d]·strides[d]]`;
 * - `scatter` mode walks `shape` over `src` (contiguous) and writes
 *   `dst[offset + Σ pos[d]·strides[d]]`.
 *
 * Parameters: `[count, rank, offset, shape..., strides...]`.
 */
export function stridedCopy(
  gpu: WebGpuBackend,
  mode: 'gather' | 'scatter',
  src: WebGpuData,
  dst: WebGpuData,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): void {
  const n = shape.reduce((p, d) => p * d, 1);
  const rank = shape.length;
  const body =
    mode === 'gather'
      ? '  out[i] = x[u32(prm[2] + off1(i, prm[1], 3, 3 + prm[1]))];'
      : '  out[u32(prm[2] + off1(i, prm[1], 3, 3 + prm[1]))] = x[i];';
  gpu.dispatch({
    key: `strided:${mode}`,
    source: () => shader({ inputs: [['x', 'u32']], outputs: [['out', 'u32']], helpers: [stridedFn('off1', 1)], body }),
    inputs: [src],
    outputs: [dst],
    meta: [n, rank, offset, ...shape, ...strides],
    workgroups: grid(n),
  });
}
