/** Exact comparisons of tensors (bit patterns, not tolerances) and small formatting helpers. */
import type { Tensor } from '@backstep/tensor';

/** Whether two tensors have the same shape, dtype and bit-identical values (NaNs included). */
export function bitIdentical(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) return false;
  const x = a.dataSync();
  const y = b.dataSync();
  const bx = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const by = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  if (bx.length !== by.length) return false;
  for (let i = 0; i < bx.length; i++) if (bx[i] !== by[i]) return false;
  return true;
}

/** Largest absolute element-wise difference of two same-shaped tensors. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(Number(x[i]) - Number(y[i])));
  return m;
}

/** Formats numbers with 4 decimals, nested arrays included: `[[0.1240, 0.2310]]`. */
export function fmt(v: unknown, digits = 4): string {
  if (Array.isArray(v)) return `[${v.map((x) => fmt(x, digits)).join(', ')}]`;
  if (typeof v === 'number') return v.toFixed(digits);
  return String(v);
}
