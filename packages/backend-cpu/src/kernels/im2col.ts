import { fmtShape, ShapeError, type KernelConfig } from '@backstep/tensor';
import { checkGeometry, outputSize, validPositions } from './conv-geometry.js';
import { defineKernel } from './define.js';
import { wasmIm2colF32 } from '../wasm/conv.js';
import { cpuBackend } from './kernel-utils.js';

/**
 * `im2col(x)` as torch.nn.functional.unfold: x [N, C, H, W] → [N, C*kh*kw, outH*outW], row
 * (c*kh + i)*kw + j, column oh*outW + ow, element x[n, c, oh*sh - ph + i*dh, ow*sw - pw + j*dw]
 * or `padValue` when that tap falls outside the image. Float32 tensors in the WebAssembly heap go
 * through the WASM plane loop (`wasm/conv.ts`).
 */
export const im2colKernel: KernelConfig = defineKernel('im2col', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'im2col');
  const x = inputs[0];
  if (x === undefined) throw new TypeError('im2col: expected one input');
  if (x.shape.length !== 4) throw new ShapeError(`im2col: expected input [N, C, H, W], got ${fmtShape(x.shape)}`);
  checkGeometry('im2col', attrs);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [kh, kw] = attrs.kernelSize;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.padding;
  const [dh, dw] = attrs.dilation;
  const outH = outputSize(h, kh, sh, ph, dh);
  const outW = outputSize(w, kw, sw, pw, dw);
  const L = outH * outW;
  const rows = c * kh * kw;
  const xv = cpu.dataOf(x);
  const out = cpu.alloc(x.dtype, n * rows * L);
  const pad = x.dtype === 'bool' ? (attrs.padValue !== 0 ? 1 : 0) : attrs.padValue;
  if (x.dtype === 'float32' && wasmIm2colF32(xv as Float32Array, out as Float32Array, attrs, { n, c, h, w, outH, outW }, pad)) {
    return cpu.makeOutput(out, [n, rows, L], x.dtype);
  }
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const xBase = (b * c + ch) * h * w;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const rowBase = ((b * rows) + (ch * kh + i) * kw + j) * L;
          const offW = j * dw - pw;
          // columns ow in [lo, hi) read inside the image; the others are padding
          const [lo, hi] = validPositions(w, offW, sw, outW);
          for (let oh = 0; oh < outH; oh++) {
            const y = oh * sh - ph + i * dh;
            const dst = rowBase + oh * outW;
            if (y < 0 || y >= h) {
              for (let ow = 0; ow < outW; ow++) out[dst + ow] = pad;
              continue;
            }
            // short rows: plain loops (a call of TypedArray.fill per row costs more than the row)
            for (let ow = 0; ow < lo; ow++) out[dst + ow] = pad;
            const src = xBase + y * w + offW;
            for (let ow = lo; ow < hi; ow++) out[dst + ow] = xv[src + ow * sw] as number;
            for (let ow = hi; ow < outW; ow++) out[dst + ow] = pad;
          }
        }
      }
    }
  }
  return cpu.makeOutput(out, [n, rows, L], x.dtype);
});
