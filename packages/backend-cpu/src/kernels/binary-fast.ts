import type { DataArray } from '@backstep/tensor';

const FAST_OPS = new Set(['add', 'sub', 'mul', 'div']);

/** Whether {@link fastFloatBinary} has a loop for this op and operand layout. */
export function hasFastLoop(op: string, aLen: number, bLen: number, n: number): boolean {
  return FAST_OPS.has(op) && ((aLen === n && (bLen === n || bLen === 1)) || (aLen === 1 && bLen === n));
}

/**
 * Monomorphic loops for the hottest float binary ops when no broadcasting index is needed:
 * same-shape operands, or one operand holding a single element (a scalar). They avoid the
 * per-element indirect call and the offset arrays of the general broadcasting path.
 * Returns false when the op/layout has no fast loop (the caller uses the general path).
 */
export function fastFloatBinary(op: string, a: DataArray, b: DataArray, out: DataArray): boolean {
  const n = out.length;
  if (a.length === n && b.length === n) {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = (a[i] as number) + (b[i] as number); return true;
      case 'sub': for (let i = 0; i < n; i++) out[i] = (a[i] as number) - (b[i] as number); return true;
      case 'mul': for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number); return true;
      case 'div': for (let i = 0; i < n; i++) out[i] = (a[i] as number) / (b[i] as number); return true;
      default: return false;
    }
  }
  if (b.length === 1 && a.length === n) {
    const s = b[0] as number;
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = (a[i] as number) + s; return true;
      case 'sub': for (let i = 0; i < n; i++) out[i] = (a[i] as number) - s; return true;
      case 'mul': for (let i = 0; i < n; i++) out[i] = (a[i] as number) * s; return true;
      case 'div': for (let i = 0; i < n; i++) out[i] = (a[i] as number) / s; return true;
      default: return false;
    }
  }
  if (a.length === 1 && b.length === n) {
    const s = a[0] as number;
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = s + (b[i] as number); return true;
      case 'sub': for (let i = 0; i < n; i++) out[i] = s - (b[i] as number); return true;
      case 'mul': for (let i = 0; i < n; i++) out[i] = s * (b[i] as number); return true;
      case 'div': for (let i = 0; i < n; i++) out[i] = s / (b[i] as number); return true;
      default: return false;
    }
  }
  return false;
}
