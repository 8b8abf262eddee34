import { detach, DTypeError, indexSelect, ne, reshape, unsqueeze, where, type Tensor } from '@backstep/tensor';

/**
 * Looks up rows of `weight` (`[numEmbeddings, dim]`) at the int32 `indices` (any shape): the result
 * is `[...indices.shape, dim]` (PyTorch's `F.embedding`). Rows looked up at `paddingIdx` get no
 * gradient.
 */
export function embedding(indices: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (indices.dtype !== 'int32') {
    throw new DTypeError(`embedding: expected indices to be an int32 tensor, got ${indices.dtype}`);
  }
  const n = weight.shape[0] as number;
  const dim = weight.shape[1] as number;
  if (indices.engine.getBackend(indices.backendName).supportsSyncRead) {
    for (const v of indices.dataSync()) {
      if (v < 0 || v >= n) throw new RangeError(`embedding: index ${v} is out of range for ${n} embeddings`);
    }
  }
  const rows = indexSelect(weight, 0, reshape(indices, [indices.numel()]));
  let out = reshape(rows, [...indices.shape, dim]);
  if (paddingIdx !== null && out.requiresGrad) {
    const notPad = unsqueeze(ne(indices, paddingIdx), -1);
    out = where(notPad, out, detach(out));
  }
  return out;
}
