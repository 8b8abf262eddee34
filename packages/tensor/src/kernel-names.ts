import type { DType } from './dtype.js';

/**
 * The primitive kernel set every backend implements (the conformance suite checks each one).
 * Kernels take {@link TensorInfo} inputs in the order documented here and the attrs typed in
 * {@link KernelAttrs}. Everything else (mean, var, logsumexp, linear, losses, ...) is composed
 * from these in the op front-ends, so gradients and new backends come for free.
 *
 * Conventions shared by all kernels:
 * - Inputs are contiguous row-major buffers; outputs are new contiguous buffers
 *   (except `reshape`, which may return its input's data id).
 * - Binary and `where` kernels broadcast (NumPy rules); their float/int inputs have one dtype
 *   (the front-end casts first). Comparison and logical kernels return `bool`.
 * - Dims/axes in attrs are already normalised to [0, rank).
 * - Index inputs are `int32`.
 */

/** Elementwise unary kernels: input `x`; output has x's shape and dtype (`logicalNot` returns bool). */
export const UNARY_KERNELS = [
  'neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'sin', 'cos', 'tanh', 'sigmoid', 'relu',
  'gelu', 'gelutanh', 'erf', 'floor', 'ceil', 'round', 'log1p', 'expm1', 'reciprocal', 'logicalNot',
  'isnan', 'isinf',
] as const;
/** An elementwise unary kernel name. */
export type UnaryKernel = (typeof UNARY_KERNELS)[number];

/** Broadcasting binary kernels with a numeric result: inputs `a`, `b` of one dtype. */
export const BINARY_KERNELS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'atan2'] as const;
/** A broadcasting arithmetic binary kernel name. */
export type BinaryKernel = (typeof BINARY_KERNELS)[number];

/** Broadcasting binary kernels returning `bool`: inputs `a`, `b` of one dtype. */
export const COMPARE_KERNELS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr'] as const;
/** A comparison/logical binary kernel name. */
export type CompareKernel = (typeof COMPARE_KERNELS)[number];

/** Reductions over `axes` (`keepdim` keeps them as size 1): input `x`. */
export const REDUCE_KERNELS = ['sum', 'prod', 'max', 'min'] as const;
/** A reduction kernel name. */
export type ReduceKernel = (typeof REDUCE_KERNELS)[number];

/** Index-of-extremum reductions over one axis: input `x`; output int32. */
export const ARG_REDUCE_KERNELS = ['argmax', 'argmin'] as const;
/** An arg-reduction kernel name. */
export type ArgReduceKernel = (typeof ARG_REDUCE_KERNELS)[number];

/** Attrs of every kernel, keyed by kernel name. */
export interface KernelAttrs {
  // unary
  neg: Record<string, never>; exp: Record<string, never>; log: Record<string, never>;
  sqrt: Record<string, never>; rsqrt: Record<string, never>; abs: Record<string, never>;
  sign: Record<string, never>; sin: Record<string, never>; cos: Record<string, never>;
  tanh: Record<string, never>; sigmoid: Record<string, never>; relu: Record<string, never>;
  /** exact GELU: x * Φ(x) */
  gelu: Record<string, never>;
  /** tanh-approximated GELU */
  gelutanh: Record<string, never>;
  erf: Record<string, never>; floor: Record<string, never>; ceil: Record<string, never>;
  /** round half to even, as torch.round */
  round: Record<string, never>;
  log1p: Record<string, never>; expm1: Record<string, never>; reciprocal: Record<string, never>;
  logicalNot: Record<string, never>; isnan: Record<string, never>; isinf: Record<string, never>;
  // binary
  add: Record<string, never>; sub: Record<string, never>; mul: Record<string, never>;
  /** true division for floats; for int32 inputs the front-end casts to float first */
  div: Record<string, never>;
  pow: Record<string, never>; maximum: Record<string, never>; minimum: Record<string, never>;
  atan2: Record<string, never>;
  eq: Record<string, never>; ne: Record<string, never>; lt: Record<string, never>;
  le: Record<string, never>; gt: Record<string, never>; ge: Record<string, never>;
  logicalAnd: Record<string, never>; logicalOr: Record<string, never>;
  /** inputs: cond (bool), a, b (same dtype); broadcasting; output dtype of a */
  where: Record<string, never>;
  /** input x; null bound = unbounded. Output x's dtype. */
  clamp: { min: number | null; max: number | null };
  /** input x; converts to `dtype` (float→int truncates toward zero, nonzero→true) */
  cast: { dtype: DType };
  /** input x; a copy of x */
  copy: Record<string, never>;
  /** no inputs; a new tensor filled with `value` */
  fill: { shape: readonly number[]; dtype: DType; value: number };
  /** input x; same data, new shape (same size). May alias x's data id. */
  reshape: { shape: readonly number[] };
  // reductions. sum of bool/int32 gives int32; prod likewise; max/min keep dtype.
  sum: { axes: readonly number[]; keepdim: boolean };
  prod: { axes: readonly number[]; keepdim: boolean };
  max: { axes: readonly number[]; keepdim: boolean };
  min: { axes: readonly number[]; keepdim: boolean };
  /** index of the first maximum along `axis` (NaN counts as maximum, as in PyTorch) */
  argmax: { axis: number; keepdim: boolean };
  argmin: { axis: number; keepdim: boolean };
  /**
   * inputs a [Ba, M, K] (or [Ba, K, M] if transposeA), b [Bb, K, N] (or [Bb, N, K] if transposeB);
   * Ba and Bb are equal or one of them is 1 (broadcast). Output [max(Ba,Bb), M, N].
   */
  matmul: { transposeA: boolean; transposeB: boolean };
  /** input x; output dim i is input dim perm[i] */
  transpose: { perm: readonly number[] };
  /** input x of rank ≤ shape.length; materialised broadcast to `shape` */
  expand: { shape: readonly number[] };
  /**
   * input x; for each dim, elements begin[d], begin[d]+step[d], ... < end[d]
   * (0 ≤ begin ≤ end ≤ size, step ≥ 1; output size ceil((end-begin)/step)).
   */
  slice: { begin: readonly number[]; end: readonly number[]; step: readonly number[] };
  /** inputs base, src; a copy of base whose region (as in `slice`) is replaced by src */
  sliceScatter: { begin: readonly number[]; end: readonly number[]; step: readonly number[] };
  /** inputs x0, x1, ... (same dtype, equal except along axis) */
  concat: { axis: number };
  /** inputs x, index (int32, same rank as x); out[i][j] = x[index[i][j]][j] along axis (torch.gather) */
  gather: { axis: number };
  /** inputs x, index, src; copy of x with x[index[i][j]][j] = src[i][j] along axis (torch.scatter) */
  scatter: { axis: number };
  /** inputs x, index, src; like scatter but adds (torch.scatter_add) */
  scatterAdd: { axis: number };
  /** inputs x, index (1-D int32); picks slices of x along axis (torch.index_select) */
  indexSelect: { axis: number };
  /** inputs x, index (1-D int32), src; copy of x with src slices added at index along axis (torch.index_add) */
  indexAdd: { axis: number };
  /** input x; softmax along axis (max-subtracted) */
  softmax: { axis: number };
  /** input x; log-softmax along axis (max-subtracted) */
  logSoftmax: { axis: number };
  /**
   * input x [N, C, H, W]; output columns [N, C*kh*kw, outH*outW] with row index
   * (c*kh + i)*kw + j, as torch.nn.functional.unfold; out-of-image taps read `padValue`.
   */
  im2col: {
    kernelSize: readonly [number, number];
    stride: readonly [number, number];
    padding: readonly [number, number];
    dilation: readonly [number, number];
    padValue: number;
  };
  /** input cols [N, C*kh*kw, L]; sums the columns back into [N, C, H, W] (torch fold) */
  col2im: {
    outputSize: readonly [number, number];
    kernelSize: readonly [number, number];
    stride: readonly [number, number];
    padding: readonly [number, number];
    dilation: readonly [number, number];
  };
}

/** Any kernel name of the primitive set. */
export type KernelName = keyof KernelAttrs;

/** Every kernel name of the primitive set (what the conformance suite expects a backend to have). */
export const KERNEL_NAMES: readonly KernelName[] = [
  ...UNARY_KERNELS, ...BINARY_KERNELS, ...COMPARE_KERNELS, 'where', 'clamp', 'cast', 'copy', 'fill',
  'reshape', ...REDUCE_KERNELS, ...ARG_REDUCE_KERNELS, 'matmul', 'transpose', 'expand', 'slice',
  'sliceScatter', 'concat', 'gather', 'scatter', 'scatterAdd', 'indexSelect', 'indexAdd', 'softmax',
  'logSoftmax', 'im2col', 'col2im',
];
