/**
 * `im2col` / `col2im` of float32 tensors in the tensor heap through the WASM plane loops
 * (`conv-fns.ts`), one call per (batch, channel) plane. Each function returns false (doing
 * nothing) unless the arrays live in the heap; the caller then runs its TypeScript loop.
 */
import { validPositions, type ConvGeometry } from '../kernels/conv-geometry.js';
import { offsetIn, sharedRuntime, type WasmRuntime } from './runtime.js';

/** The sizes of one im2col/col2im: batch, channels, image and output size. */
export interface ConvPlanes {
  n: number;
  c: number;
  h: number;
  w: number;
  outH: number;
  outW: number;
}

/** Writes the per-tap-column table (first and past-the-last valid output column, byte offset) into scratch. */
function tapTable(rt: WasmRuntime, g: ConvGeometry, w: number, outW: number): number {
  const [, kw] = g.kernelSize;
  const tab = rt.reserve(12 * kw);
  for (let j = 0; j < kw; j++) {
    const off = j * g.dilation[1] - g.padding[1];
    const [lo, hi] = validPositions(w, off, g.stride[1], outW);
    rt.i32.set([lo, hi, 4 * off], (tab >> 2) + 3 * j);
  }
  return tab;
}

function planeArgs(g: ConvGeometry, s: ConvPlanes): number[] {
  return [s.h, s.w, g.kernelSize[0], g.kernelSize[1], g.stride[0], g.stride[1], g.padding[0], g.dilation[0], s.outH, s.outW];
}

/** `out[n, c·kh·kw, outH·outW]` = the windows of `x[n, c, h, w]` (`pad` outside the image). */
export function wasmIm2colF32(x: Float32Array, out: Float32Array, g: ConvGeometry, s: ConvPlanes, pad: number): boolean {
  const rt = sharedRuntime();
  if (rt === null) return false;
  const xAt = offsetIn(rt, x);
  const oAt = offsetIn(rt, out);
  if (xAt < 0 || oAt < 0) return false;
  const tab = tapTable(rt, g, s.w, s.outW);
  const fn = rt.fns['im2colPlane'] as (...a: number[]) => void;
  const args = planeArgs(g, s);
  const rowsBytes = 4 * g.kernelSize[0] * g.kernelSize[1] * s.outH * s.outW;
  for (let p = 0; p < s.n * s.c; p++) fn(xAt + 4 * p * s.h * s.w, oAt + p * rowsBytes, tab, ...args, pad);
  return true;
}

/** `out[n, c, h, w]` = the sums of the windows' entries of `cols[n, c·kh·kw, outH·outW]` (float32, PyTorch's order). */
export function wasmCol2imF32(cols: Float32Array, out: Float32Array, g: ConvGeometry, s: ConvPlanes): boolean {
  const rt = sharedRuntime();
  if (rt === null) return false;
  const cAt = offsetIn(rt, cols);
  const oAt = offsetIn(rt, out);
  if (cAt < 0 || oAt < 0) return false;
  out.fill(0);
  const tab = tapTable(rt, g, s.w, s.outW);
  const fn = rt.fns['col2imPlane'] as (...a: number[]) => void;
  const args = planeArgs(g, s);
  const rowsBytes = 4 * g.kernelSize[0] * g.kernelSize[1] * s.outH * s.outW;
  for (let p = 0; p < s.n * s.c; p++) fn(oAt + 4 * p * s.h * s.w, cAt + p * rowsBytes, tab, ...args);
  return true;
}
