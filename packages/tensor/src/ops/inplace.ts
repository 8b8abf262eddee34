import { defaultGenerator, type Generator } from '../generator.js';
import { ShapeError } from '../errors.js';
import { allocArray } from '../dtype.js';
import { fmtShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, clamp, div, maskedFill, mul, sub } from './elementwise.js';
import { assertTensor, cast, type TensorOrScalar } from './operands.js';
import { expand } from './shape-ops.js';

/**
 * Runs `compute` and stores its result into `x` keeping `x`'s identity (the building block of
 * the `*_` methods). As in PyTorch, a leaf that requires grad can only be changed in place
 * while grad is disabled (inside `noGrad`), and results that would need a graph are refused.
 */
export function applyInPlace(x: Tensor, op: string, compute: () => Tensor): Tensor {
  assertTensor(x, op);
  if (x.requiresGrad && x.engine.isGradEnabled()) {
    throw new Error(
      x.isLeaf
        ? `${op}: a leaf tensor that requires grad is being used in an in-place operation (wrap the update in noGrad(...))`
        : `${op}: in-place operations on tensors inside an autograd graph are not supported; use the out-of-place op`,
    );
  }
  let r = compute();
  if (r.requiresGrad && x.engine.isGradEnabled()) {
    r.dispose();
    throw new Error(`${op}: the in-place result would depend on a tensor that requires grad; use the out-of-place op`);
  }
  if (!shapesEqual(r.shape, x.shape)) {
    if (r.ndim > x.ndim || r.shape.some((s, i) => s !== 1 && s !== x.shape[x.ndim - r.ndim + i])) {
      r.dispose();
      throw new ShapeError(`${op}: output with shape ${fmtShape(x.shape)} doesn't match the broadcast shape ${fmtShape(r.shape)}`);
    }
    r = expand(r, x.shape);
  }
  const rr = cast(r, x.dtype);
  x.assignData(rr);
  if (rr !== r) rr.dispose();
  r.dispose();
  return x;
}

/** Copies `src`'s values into `x` (broadcasting, casting), keeping `x`'s identity. */
export function copy_(x: Tensor, src: Tensor): Tensor {
  assertTensor(src, 'copy_', 'src');
  return applyInPlace(x, 'copy_', () => (src.backendName === x.backendName ? expand(src, x.shape) : toBackend(src, x.backendName)));
}

/** Fills `x` with `value` in place. */
export const fill_ = (x: Tensor, value: number): Tensor =>
  applyInPlace(x, 'fill_', () => x.engine.run('fill', [], { shape: x.shape, dtype: x.dtype, value }, x.backendName));
/** Fills `x` with zeros in place. */
export const zero_ = (x: Tensor): Tensor => fill_(x, 0);
/** `x += alpha * other` in place. */
export const add_ = (x: Tensor, other: TensorOrScalar, options: { alpha?: number } = {}): Tensor => applyInPlace(x, 'add_', () => add(x, other, options));
/** `x -= alpha * other` in place. */
export const sub_ = (x: Tensor, other: TensorOrScalar, options: { alpha?: number } = {}): Tensor => applyInPlace(x, 'sub_', () => sub(x, other, options));
/** `x *= other` in place. */
export const mul_ = (x: Tensor, other: TensorOrScalar): Tensor => applyInPlace(x, 'mul_', () => mul(x, other));
/** `x /= other` in place. */
export const div_ = (x: Tensor, other: TensorOrScalar): Tensor => applyInPlace(x, 'div_', () => div(x, other));
/** Clamps in place. */
export const clamp_ = (x: Tensor, options: { min?: number | null; max?: number | null }): Tensor => applyInPlace(x, 'clamp_', () => clamp(x, options));
/** `maskedFill` in place. */
export const maskedFill_ = (x: Tensor, mask: Tensor, value: number): Tensor => applyInPlace(x, 'maskedFill_', () => maskedFill(x, mask, value));

/** Fills with uniform samples from [from, to) in place. */
export function uniform_(x: Tensor, from = 0, to = 1, options: { generator?: Generator } = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return applyInPlace(x, 'uniform_', () => {
    const v = allocArray(x.dtype, x.numel());
    for (let i = 0; i < v.length; i++) v[i] = from + (to - from) * (x.dtype === 'float32' ? g.nextFloat() : g.nextDouble());
    return x.engine.makeTensor(v, x.shape, x.dtype, x.backendName);
  });
}

/** Fills with normal samples in place. */
export function normal_(x: Tensor, mean = 0, std = 1, options: { generator?: Generator } = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return applyInPlace(x, 'normal_', () => {
    const v = allocArray(x.dtype, x.numel());
    for (let i = 0; i < v.length; i++) v[i] = mean + std * g.nextNormalSample();
    return x.engine.makeTensor(v, x.shape, x.dtype, x.backendName);
  });
}

/**
 * A copy of `x` on another backend of the same engine (a new leaf; `requiresGrad` carries over).
 * Reads synchronously; use {@link toBackendAsync} from backends without synchronous reads.
 */
export function toBackend(x: Tensor, backend: string): Tensor {
  assertTensor(x, 'to');
  if (backend === x.backendName) return x;
  const src = x.engine.getBackend(x.backendName);
  if (!src.supportsSyncRead) {
    throw new Error(`to('${backend}'): backend '${x.backendName}' cannot read synchronously; use await tensor.toAsync('${backend}')`);
  }
  const out = x.engine.makeTensor(x.dataSync(), x.shape, x.dtype, backend);
  if (x.requiresGrad) out.requiresGrad = true;
  return out;
}

/** {@link toBackend} for every backend. */
export async function toBackendAsync(x: Tensor, backend: string): Promise<Tensor> {
  assertTensor(x, 'to');
  if (backend === x.backendName) return x;
  const out = x.engine.makeTensor(await x.data(), x.shape, x.dtype, backend);
  if (x.requiresGrad) out.requiresGrad = true;
  return out;
}
