import { ShapeError } from '../errors.js';
import { broadcastShapes, fmtShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add } from './elementwise.js';
import { assertTensor, binaryOperands } from './operands.js';
import { expand, reshape } from './shape-ops.js';

function matmulError(a: Tensor, b: Tensor, k1: number, k2: number): ShapeError {
  return new ShapeError(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${k1} != ${k2})`);
}

/** The core batched product on 3-D operands with optional transposes. */
export function batchMatmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  const [ta, tb] = binaryOperands(a, b, 'matmul');
  if (ta.ndim !== 3 || tb.ndim !== 3) throw new ShapeError(`batchMatmul: expected 3-D operands, got ${fmtShape(ta.shape)} and ${fmtShape(tb.shape)}`);
  const ka = ta.shape[transposeA ? 1 : 2] as number;
  const kb = tb.shape[transposeB ? 2 : 1] as number;
  if (ka !== kb) throw matmulError(a, b, ka, kb);
  const ba = ta.shape[0] as number;
  const bb = tb.shape[0] as number;
  if (ba !== bb && ba !== 1 && bb !== 1) throw new ShapeError(`batchMatmul: batch sizes ${ba} and ${bb} cannot be broadcast`);
  return ta.engine.run('matmul', [ta, tb], { transposeA, transposeB });
}

/**
 * Matrix product with PyTorch's `matmul` semantics: 1-D·1-D is a dot product, 2-D·2-D a matrix
 * product, 1-D operands get a dim prepended/appended and removed again, and batch dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, 'matmul');
  assertTensor(b, 'matmul', 'other');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both arguments need at least 1 dimension, got ${a.ndim}D and ${b.ndim}D tensors`);
  }
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0] as number]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0] as number, 1]) : b;
  const m = a2.shape[a2.ndim - 2] as number;
  const k = a2.shape[a2.ndim - 1] as number;
  const k2 = b2.shape[b2.ndim - 2] as number;
  const n = b2.shape[b2.ndim - 1] as number;
  if (k !== k2) throw matmulError(a, b, k, k2);
  const batchA = a2.shape.slice(0, -2);
  const batchB = b2.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB, 'matmul');
  let out: Tensor;
  if (sizeOf(batchB) === 1 && batchA.length >= batchB.length) {
    // [..., m, k] @ [k, n]: fold the batch into rows
    out = batchMatmul(reshape(a2, [1, sizeOf(batchA) * m, k]), reshape(b2, [1, k, n]));
  } else {
    const B = sizeOf(batch);
    const a3 = sizeOf(batchA) === 1 ? reshape(a2, [1, m, k]) : reshape(expand(a2, [...batch, m, k]), [B, m, k]);
    const b3 = sizeOf(batchB) === 1 ? reshape(b2, [1, k, n]) : reshape(expand(b2, [...batch, k, n]), [B, k, n]);
    out = batchMatmul(a3, b3);
  }
  const shape = [...batch, m, n];
  if (a.ndim === 1) shape.splice(shape.length - 2, 1);
  if (b.ndim === 1) shape.splice(shape.length - 1, 1);
  return reshape(out, shape);
}

/** 2-D matrix product. */
export function mm(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, 'mm');
  assertTensor(b, 'mm', 'mat2');
  if (a.ndim !== 2 || b.ndim !== 2) throw new ShapeError(`mm: expected 2-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.shape[1] !== b.shape[0]) {
    throw new ShapeError(`mm: mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  return matmul(a, b);
}

/** Batched 3-D matrix product (equal batch sizes). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, 'bmm');
  assertTensor(b, 'bmm', 'mat2');
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`bmm: expected 3-D tensors with equal batch sizes, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  return batchMatmul(a, b);
}

/** Dot product of two 1-D tensors (0-d result). */
export function dot(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, 'dot');
  assertTensor(b, 'dot', 'other');
  if (a.ndim !== 1 || b.ndim !== 1 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`dot: expected 1-D tensors of equal size, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  return matmul(a, b);
}

/** Outer product of two 1-D tensors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, 'outer');
  assertTensor(b, 'outer', 'vec2');
  if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`outer: expected 1-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return matmul(reshape(a, [a.shape[0] as number, 1]), reshape(b, [1, b.shape[0] as number]));
}

/** `x @ weight^T + bias` (PyTorch's `F.linear`): x `[..., in]`, weight `[out, in]`, bias `[out]`. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  assertTensor(x, 'linear');
  assertTensor(weight, 'linear', 'weight');
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be 2-D [out, in], got ${fmtShape(weight.shape)}`);
  const inF = weight.shape[1] as number;
  const outF = weight.shape[0] as number;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new ShapeError(`linear: input shape ${fmtShape(x.shape)} and weight shape ${fmtShape(weight.shape)} cannot be multiplied (${x.shape[x.ndim - 1] ?? 0} != ${inF})`);
  }
  const rows = x.numel() / inF;
  const y = batchMatmul(reshape(x, [1, rows, inF]), reshape(weight, [1, outF, inF]), false, true);
  const out = reshape(y, [...x.shape.slice(0, -1), outF]);
  if (bias === undefined || bias === null) return out;
  assertTensor(bias, 'linear', 'bias');
  if (bias.ndim !== 1 || bias.shape[0] !== outF) throw new ShapeError(`linear: bias must have shape [${outF}], got ${fmtShape(bias.shape)}`);
  return add(out, bias);
}
