import { fmtShape, ShapeError, type KernelConfig } from '@backstep/tensor';
import { checkGeometry, outputSize, validPositions } from './conv-geometry.js';
import { defineKernel } from './define.js';
import { wasmCol2imF32 } from '../wasm/conv.js';
import { assertDTypeIn, cpuBackend } from './kernel-utils.js';

/**
 * `col2im(cols)` as torch.nn.functional.fold: cols [N, C*kh*kw, L] → [N, C, H, W] with
 * (H, W) = outputSize, summing every column entry into the pixel its tap reads in `im2col`
 * (taps in the padding are dropped). L must equal outH*outW. Sums accumulate in double; float32
 * tensors in the WebAssembly heap go through the WASM plane loop (`wasm/conv.ts`), which sums in
 * float32 in PyTorch's order (tap row, tap column, output row, output column).
 */
export const col2imKernel: KernelConfig = defineKernel('col2im', ({ inputs, attrs, backend }) => {
  const cpu = cpuBackend(backend, 'col2im');
  const cols = inputs[0];
  if (cols === undefined) throw new TypeError('col2im: expected one input');
  assertDTypeIn('col2im', cols.dtype, ['float32', 'float64', 'int32']);
  if (cols.shape.length !== 3) throw new ShapeError(`col2im: expected input [N, C*kh*kw, L], got ${fmtShape(cols.shape)}`);
  checkGeometry('col2im', attrs);
  const [n, rows, L] = cols.shape as [number, number, number];
  const [h, w] = attrs.outputSize;
  const [kh, kw] = attrs.kernelSize;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.padding;
  const [dh, dw] = attrs.dilation;
  if (rows % (kh * kw) !== 0) {
    throw new ShapeError(`col2im: dim 1 of ${fmtShape(cols.shape)} must be divisible by kh*kw = ${kh * kw}`);
  }
  const c = rows / (kh * kw);
  const outH = outputSize(h, kh, sh, ph, dh);
  const outW = outputSize(w, kw, sw, pw, dw);
  if (outH * outW !== L) {
    throw new ShapeError(
      `col2im: ${L} columns do not match outputSize [${h}, ${w}] with these kernel/stride/padding/dilation ` +
        `(expected ${outH} * ${outW} = ${outH * outW})`,
    );
  }
  const cv = cpu.dataOf(cols);
  if (cols.dtype === 'float32') {
    const out32 = cpu.alloc('float32', n * c * h * w) as Float32Array;
    if (wasmCol2imF32(cv as Float32Array, out32, attrs, { n, c, h, w, outH, outW })) return cpu.makeOutput(out32, [n, c, h, w], 'float32');
  }
  const acc = new Float64Array(n * c * h * w);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const oBase = (b * c + ch) * h * w;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const rowBase = (b * rows + (ch * kh + i) * kw + j) * L;
          const offW = j * dw - pw;
          // columns ow in [lo, hi) land inside the image; taps in the padding are dropped
          const [lo, hi] = validPositions(w, offW, sw, outW);
          for (let oh = 0; oh < outH; oh++) {
            const y = oh * sh - ph + i * dh;
            if (y < 0 || y >= h) continue;
            const dst = oBase + y * w + offW;
            const src = rowBase + oh * outW;
            for (let ow = lo; ow < hi; ow++) acc[dst + ow * sw] += cv[src + ow] as number;
          }
        }
      }
    }
  }
  const out = cpu.alloc(cols.dtype, acc.length);
  out.set(acc);
  return cpu.makeOutput(out, [n, c, h, w], cols.dtype);
});
