import { ShapeError } from '../errors.js';
import { fmtShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add } from './elementwise.js';
import { assertTensor, cast } from './operands.js';
import { batchMatmul } from './matmul.js';
import { max, mean } from './reduce.js';
import { reshape, unsqueeze, squeeze } from './shape-ops.js';
import { cat, split } from './join.js';

/** A size given as one number or a [height, width] pair. */
export type Size2 = number | readonly [number, number];

function pair(v: Size2, name: string, op: string, min = 0): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (p.some((x) => !Number.isInteger(x) || x < min)) throw new RangeError(`${op}: ${name} must be integers >= ${min}, got ${JSON.stringify(v)}`);
  return p;
}

function outSize(inp: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((inp + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** Options of {@link unfold} and {@link fold}. */
export interface UnfoldOptions {
  /** Default 1. */
  dilation?: Size2;
  /** Zero padding on both sides; default 0. */
  padding?: Size2;
  /** Default 1. */
  stride?: Size2;
}

function as4d(x: Tensor, op: string): { x4: Tensor; batched: boolean } {
  if (x.ndim === 4) return { x4: x, batched: true };
  if (x.ndim === 3) return { x4: unsqueeze(x, 0), batched: false };
  throw new ShapeError(`${op}: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got ${fmtShape(x.shape)}`);
}

function im2col(x4: Tensor, k: [number, number], stride: [number, number], padding: [number, number], dilation: [number, number], padValue: number, op: string): Tensor {
  const [, , h, w] = x4.shape as [number, number, number, number];
  const oh = outSize(h, k[0], stride[0], padding[0], dilation[0]);
  const ow = outSize(w, k[1], stride[1], padding[1], dilation[1]);
  if (oh <= 0 || ow <= 0) {
    throw new ShapeError(`${op}: input ${fmtShape(x4.shape)} is too small for kernel ${fmtShape(k)} with padding ${fmtShape(padding)} and dilation ${fmtShape(dilation)}`);
  }
  return x4.engine.run('im2col', [x4], { kernelSize: k, stride, padding, dilation, padValue });
}

/** Extracts sliding blocks: `[N, C, H, W]` → `[N, C·kh·kw, L]` (PyTorch's `F.unfold`). */
export function unfold(x: Tensor, kernelSize: Size2, options: UnfoldOptions = {}): Tensor {
  assertTensor(x, 'unfold');
  const { x4, batched } = as4d(x, 'unfold');
  const cols = im2col(x4, pair(kernelSize, 'kernelSize', 'unfold', 1), pair(options.stride ?? 1, 'stride', 'unfold', 1),
    pair(options.padding ?? 0, 'padding', 'unfold'), pair(options.dilation ?? 1, 'dilation', 'unfold', 1), 0, 'unfold');
  return batched ? cols : squeeze(cols, 0);
}

/** Sums sliding blocks back into an image: `[N, C·kh·kw, L]` → `[N, C, H, W]` (PyTorch's `F.fold`). */
export function fold(cols: Tensor, outputSize: Size2, kernelSize: Size2, options: UnfoldOptions = {}): Tensor {
  assertTensor(cols, 'fold');
  const batched = cols.ndim === 3;
  if (cols.ndim !== 2 && cols.ndim !== 3) throw new ShapeError(`fold: expected a 2-D or 3-D input, got ${fmtShape(cols.shape)}`);
  const c3 = batched ? cols : unsqueeze(cols, 0);
  const k = pair(kernelSize, 'kernelSize', 'fold', 1);
  const size = pair(outputSize, 'outputSize', 'fold', 1);
  const stride = pair(options.stride ?? 1, 'stride', 'fold', 1);
  const padding = pair(options.padding ?? 0, 'padding', 'fold');
  const dilation = pair(options.dilation ?? 1, 'dilation', 'fold', 1);
  const L = outSize(size[0], k[0], stride[0], padding[0], dilation[0]) * outSize(size[1], k[1], stride[1], padding[1], dilation[1]);
  if ((c3.shape[1] as number) % (k[0] * k[1]) !== 0 || c3.shape[2] !== L) {
    throw new ShapeError(`fold: input ${fmtShape(cols.shape)} does not match kernel ${fmtShape(k)} and output size ${fmtShape(size)} (expected [N, C*${k[0] * k[1]}, ${L}])`);
  }
  const out = c3.engine.run('col2im', [c3], { outputSize: size, kernelSize: k, stride, padding, dilation });
  return batched ? out : squeeze(out, 0);
}

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Default 1. */
  stride?: Size2;
  /** Zero padding (or 'valid' = 0, 'same' with stride 1); default 0. */
  padding?: Size2 | 'valid' | 'same';
  /** Default 1. */
  dilation?: Size2;
  /** Channel groups; default 1. */
  groups?: number;
}

/** 2-D convolution (cross-correlation, as PyTorch): input `[N, C, H, W]`, weight `[O, C/groups, kh, kw]`, bias `[O]`. */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  assertTensor(x, 'conv2d');
  assertTensor(weight, 'conv2d', 'weight');
  const { x4, batched } = as4d(x, 'conv2d');
  if (weight.ndim !== 4) throw new ShapeError(`conv2d: weight must be 4-D [O, C/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const groups = options.groups ?? 1;
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  const c = x4.shape[1] as number;
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0 || o % groups !== 0) {
    throw new RangeError(`conv2d: groups (${groups}) must divide both in_channels (${c}) and out_channels (${o})`);
  }
  if (cg * groups !== c) {
    throw new ShapeError(`conv2d: expected input ${fmtShape(x.shape)} to have ${cg * groups} channels (weight ${fmtShape(weight.shape)}, groups ${groups}), but got ${c} channels`);
  }
  const stride = pair(options.stride ?? 1, 'stride', 'conv2d', 1);
  const dilation = pair(options.dilation ?? 1, 'dilation', 'conv2d', 1);
  let padding: [number, number];
  if (options.padding === 'valid' || options.padding === undefined) padding = [0, 0];
  else if (options.padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError("conv2d: padding='same' is not supported for strided convolutions");
    const tot = [dilation[0] * (kh - 1), dilation[1] * (kw - 1)];
    if (tot.some((t) => t % 2 !== 0)) throw new RangeError("conv2d: padding='same' needs an odd effective kernel size in Backstep");
    padding = [tot[0]! / 2, tot[1]! / 2];
  } else padding = pair(options.padding, 'padding', 'conv2d');
  const xw = cast(x4, weight.dtype);
  const n = xw.shape[0] as number;
  const runGroup = (xg: Tensor, wg: Tensor): Tensor => {
    const cols = im2col(xg, [kh, kw], stride, padding, dilation, 0, 'conv2d');
    const og = wg.shape[0] as number;
    return batchMatmul(reshape(wg, [1, og, cg * kh * kw]), cols);
  };
  let y = groups === 1
    ? runGroup(xw, weight)
    : cat(split(xw, cg, 1).map((xg, g) => runGroup(xg, split(weight, o / groups, 0)[g] as Tensor)), 1);
  const [, , h, w] = x4.shape as [number, number, number, number];
  y = reshape(y, [n, o, outSize(h, kh, stride[0], padding[0], dilation[0]), outSize(w, kw, stride[1], padding[1], dilation[1])]);
  if (bias !== undefined && bias !== null) {
    assertTensor(bias, 'conv2d', 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== o) throw new ShapeError(`conv2d: bias must have shape [${o}], got ${fmtShape(bias.shape)}`);
    y = add(y, reshape(bias, [o, 1, 1]));
  }
  return batched ? y : squeeze(y, 0);
}

/** Options of the 2-D pooling ops. */
export interface Pool2dOptions {
  /** Default: the kernel size. */
  stride?: Size2 | null;
  /** Implicit padding on both sides (−∞ for max pooling, 0 for average pooling); default 0. */
  padding?: Size2;
  /** Default 1 (max pooling only). */
  dilation?: Size2;
  /** Not supported yet: must be false. */
  ceilMode?: boolean;
}

function pool(kind: 'max' | 'avg', x: Tensor, kernelSize: Size2, options: Pool2dOptions): Tensor {
  const op = kind === 'max' ? 'maxPool2d' : 'avgPool2d';
  assertTensor(x, op);
  if (options.ceilMode) throw new Error(`${op}: ceilMode=true is not supported yet`);
  const { x4, batched } = as4d(x, op);
  const k = pair(kernelSize, 'kernelSize', op, 1);
  const stride = pair(options.stride ?? k, 'stride', op, 1);
  const padding = pair(options.padding ?? 0, 'padding', op);
  const dilation = pair(options.dilation ?? 1, 'dilation', op, 1);
  if (padding[0] * 2 > k[0] || padding[1] * 2 > k[1]) throw new RangeError(`${op}: pad should be at most half of effective kernel size, got padding ${fmtShape(padding)} and kernel ${fmtShape(k)}`);
  const [n, c, h, w] = x4.shape as [number, number, number, number];
  const cols = im2col(x4, k, stride, padding, dilation, kind === 'max' ? -Infinity : 0, op);
  const L = cols.shape[2] as number;
  const taps = reshape(cols, [n, c, k[0] * k[1], L]);
  const pooled = kind === 'max' ? max(taps, 2).values : mean(taps, 2);
  const y = reshape(pooled, [n, c, outSize(h, k[0], stride[0], padding[0], dilation[0]), outSize(w, k[1], stride[1], padding[1], dilation[1])]);
  return batched ? y : squeeze(y, 0);
}

/** 2-D max pooling (gradient to the first maximum of each window, as PyTorch). */
export function maxPool2d(x: Tensor, kernelSize: Size2, options: Pool2dOptions = {}): Tensor {
  return pool('max', x, kernelSize, options);
}

/** 2-D average pooling (padding counts toward the average, PyTorch's default `count_include_pad`). */
export function avgPool2d(x: Tensor, kernelSize: Size2, options: Pool2dOptions = {}): Tensor {
  return pool('avg', x, kernelSize, options);
}
