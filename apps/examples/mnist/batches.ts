/**
 * The MNIST example's batches: the training order of an epoch (a pure function of seed and
 * epoch, so a resumed run sees the batches the uninterrupted run would have seen) and the
 * tensors of a batch.
 */
import { Generator, tensor, type Tensor } from '@backstep/tensor';
import type { DigitSet } from './data.js';

/** The permutation of the training set for `epoch` (a pure function of seed and epoch). */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const g = new Generator(seed * 7919 + epoch + 1);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.nextInt(0, i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** The images and labels at `indices` as tensors `[b, 1, 28, 28]` and `[b]` (int32). */
export function batchOf(set: DigitSet, indices: ArrayLike<number>, model: 'mlp' | 'cnn'): [Tensor, Tensor] {
  const b = indices.length;
  const x = new Float32Array(b * 784);
  const y = new Int32Array(b);
  for (let i = 0; i < b; i++) {
    const k = indices[i]!;
    x.set(set.images.subarray(k * 784, (k + 1) * 784), i * 784);
    y[i] = set.labels[k]!;
  }
  return [tensor(x, { shape: model === 'cnn' ? [b, 1, 28, 28] : [b, 784] }), tensor(y)];
}
