import { isFloat } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { eq } from './elementwise.js';
import { assertTensor, cast } from './operands.js';
import { reshape, unsqueeze } from './shape-ops.js';

function softmaxLike(kind: 'softmax' | 'logSoftmax', x: Tensor, dim: number): Tensor {
  assertTensor(x, kind);
  if (dim === undefined) throw new TypeError(`${kind}: dim is required`);
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  if (xf.ndim === 0) return reshape(xf.engine.run(kind, [unsqueeze(xf, 0)], { axis: 0 }), []);
  const axis = normalizeDim(dim, xf.ndim, kind);
  return xf.engine.run(kind, [xf], { axis });
}

/** Softmax along `dim` (computed stably). */
export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxLike('softmax', x, dim);
}

/** Log-softmax along `dim` (computed stably). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return softmaxLike('logSoftmax', x, dim);
}

/** One-hot encoding of an int32 tensor of class indices: shape `[..., numClasses]`, int32 (as PyTorch's int64). */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  assertTensor(indices, 'oneHot');
  if (indices.dtype !== 'int32') throw new DTypeError(`oneHot: expected an int32 tensor of class indices, got ${indices.dtype}`);
  const vals = indices.dataSync();
  let n = numClasses;
  if (n === -1) n = vals.length === 0 ? 0 : Math.max(...vals) + 1;
  for (const v of vals) {
    if (v < 0 || v >= n) throw new RangeError(`oneHot: class index ${v} is out of range for ${n} classes`);
  }
  const classes = indices.engine.makeTensor(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32', indices.backendName);
  return cast(eq(unsqueeze(indices, -1), classes), 'int32');
}
