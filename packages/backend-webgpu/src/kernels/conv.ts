import { DTypeError, fmtShape, ShapeError, type KernelConfig } from '@backstep/tensor';
import { assertDTypeIn, defineKernel, expectInputs, gpuBackend } from './define.js';
import { f32Bits, grid, shader, wgslType } from './wgsl.js';

/** Kernel size, stride, padding and dilation of an im2col/col2im, as (height, width) pairs. */
interface Geometry {
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}

/** Sliding-window positions along one dim, as torch.nn.functional.unfold (0 when the window does not fit). */
export function outputSize(size: number, k: number, stride: number, pad: number, dil: number): number {
  return Math.max(Math.floor((size + 2 * pad - dil * (k - 1) - 1) / stride) + 1, 0);
}

/** Throws a RangeError unless kernel size, stride and dilation are ≥ 1 and padding ≥ 0 (integers). */
function checkGeometry(op: string, g: Geometry): void {
  const pairs: [string, readonly [number, number], number][] = [['kernelSize', g.kernelSize, 1], ['stride', g.stride, 1], ['padding', g.padding, 0], ['dilation', g.dilation, 1]];
  for (const [name, pair, min] of pairs) {
    if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) throw new RangeError(`${op}: ${name} must be two integers ≥ ${min}, got ${JSON.stringify(pair)}`);
  }
}

/** Geometry words shared by both kernels: `[kh, kw, sh, sw, ph, pw, dh, dw]`. */
const geometryWords = (g: Geometry): number[] => [...g.kernelSize, ...g.stride, ...g.padding, ...g.dilation];

/**
 * `im2col(x)` as torch.nn.functional.unfold: x [N, C, H, W] → [N, C*kh*kw, outH*outW], row
 * (c*kh + i)*kw + j, column oh*outW + ow; taps outside the image read `padValue`. One thread per
 * output element, copying 32-bit words. Parameters: `[count, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW, padBits]`.
 */
export const im2colKernel: KernelConfig = defineKernel('im2col', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'im2col');
  const [x] = expectInputs('im2col', inputs, 1);
  if (x.shape.length !== 4) throw new ShapeError(`im2col: expected input [N, C, H, W], got ${fmtShape(x.shape)}`);
  checkGeometry('im2col', attrs);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [kh, kw] = attrs.kernelSize;
  const outH = outputSize(h, kh, attrs.stride[0], attrs.padding[0], attrs.dilation[0]);
  const outW = outputSize(w, kw, attrs.stride[1], attrs.padding[1], attrs.dilation[1]);
  const rows = c * kh * kw;
  const out = gpu.makeOutput([n, rows, outH * outW], x.dtype);
  const v = attrs.padValue;
  const pad = x.dtype === 'float32' ? f32Bits(v) : x.dtype === 'bool' ? (v !== 0 ? 1 : 0) : Math.trunc(v) | 0;
  const count = out.data.length;
  gpu.dispatch({
    key: 'im2col',
    source: () =>
      shader({
        inputs: [['x', 'u32']],
        outputs: [['out', 'u32']],
        body: `  let C = prm[1]; let H = prm[2]; let W = prm[3]; let kh = prm[4]; let kw = prm[5];
  let outH = prm[12]; let outW = prm[13]; let L = outH * outW; let rows = C * kh * kw;
  let ii = i32(i);
  let col = ii % L; let row = (ii / L) % rows; let b = ii / (L * rows);
  let ch = row / (kh * kw); let ki = (row / kw) % kh; let kj = row % kw;
  let y = (col / outW) * prm[6] - prm[8] + ki * prm[10];
  let xx = (col % outW) * prm[7] - prm[9] + kj * prm[11];
  var v = bitcast<u32>(prm[14]);
  if (y >= 0 && y < H && xx >= 0 && xx < W) { v = x[u32(((b * C + ch) * H + y) * W + xx)]; }
  out[i] = v;`,
      }),
    inputs: [gpu.get(x.dataId)],
    outputs: [out.data],
    meta: [count, c, h, w, ...geometryWords(attrs), outH, outW, pad],
    workgroups: grid(count),
  });
  return out.info;
});

/**
 * `col2im(cols)` as torch.nn.functional.fold: cols [N, C*kh*kw, L] → [N, C, H, W], summing every
 * column entry into the pixel its tap reads. One thread per output pixel gathers its taps in (i, j)
 * order (no atomics). Parameters: `[count, C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW]`.
 */
export const col2imKernel: KernelConfig = defineKernel('col2im', ({ inputs, attrs, backend }) => {
  const gpu = gpuBackend(backend, 'col2im');
  const [cols] = expectInputs('col2im', inputs, 1);
  assertDTypeIn('col2im', cols.dtype, ['float32', 'int32']);
  if (cols.shape.length !== 3) throw new ShapeError(`col2im: expected input [N, C*kh*kw, L], got ${fmtShape(cols.shape)}`);
  checkGeometry('col2im', attrs);
  const [n, rows, L] = cols.shape as [number, number, number];
  const [h, w] = attrs.outputSize;
  const [kh, kw] = attrs.kernelSize;
  if (rows % (kh * kw) !== 0) throw new ShapeError(`col2im: dim 1 of ${fmtShape(cols.shape)} must be divisible by kh*kw = ${kh * kw}`);
  const c = rows / (kh * kw);
  const outH = outputSize(h, kh, attrs.stride[0], attrs.padding[0], attrs.dilation[0]);
  const outW = outputSize(w, kw, attrs.stride[1], attrs.padding[1], attrs.dilation[1]);
  if (outH * outW !== L) {
    throw new ShapeError(`col2im: ${L} columns do not match outputSize [${h}, ${w}] with these kernel/stride/padding/dilation (expected ${outH} * ${outW} = ${outH * outW})`);
  }
  if (cols.dtype === 'bool') throw new DTypeError('col2im: bool is not supported');
  const out = gpu.makeOutput([n, c, h, w], cols.dtype);
  const t = wgslType(cols.dtype);
  const count = out.data.length;
  gpu.dispatch({
    key: `col2im:${t}`,
    source: () =>
      shader({
        inputs: [['cols', t]],
        outputs: [['out', t]],
        body: `  let C = prm[1]; let H = prm[2]; let W = prm[3]; let kh = prm[4]; let kw = prm[5];
  let sh = prm[6]; let sw = prm[7]; let ph = prm[8]; let pw = prm[9]; let dh = prm[10]; let dw = prm[11];
  let outH = prm[12]; let outW = prm[13]; let L = outH * outW;
  let ii = i32(i);
  let xx = ii % W; let y = (ii / W) % H; let ch = (ii / (W * H)) % C; let b = ii / (W * H * C);
  var acc = ${t}(0);
  for (var ki = 0; ki < kh; ki++) {
    let ty = y + ph - ki * dh;
    if (ty < 0 || ty % sh != 0 || ty / sh >= outH) { continue; }
    for (var kj = 0; kj < kw; kj++) {
      let tx = xx + pw - kj * dw;
      if (tx < 0 || tx % sw != 0 || tx / sw >= outW) { continue; }
      let row = (ch * kh + ki) * kw + kj;
      acc += cols[u32((b * C * kh * kw + row) * L + (ty / sh) * outW + tx / sw)];
    }
  }
  out[i] = acc;`,
      }),
    inputs: [gpu.get(cols.dataId)],
    outputs: [out.data],
    meta: [count, c, h, w, ...geometryWords(attrs), outH, outW],
    workgroups: grid(count),
  });
  return out.info;
});
