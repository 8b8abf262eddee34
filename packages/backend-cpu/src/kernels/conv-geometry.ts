/** Kernel size, stride, padding and dilation of an im2col/col2im, as (height, width) pairs. */
export interface ConvGeometry {
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
}

/**
 * The number of sliding-window positions along one spatial dim, as torch.nn.functional.unfold:
 * floor((size + 2*pad - dil*(k-1) - 1) / stride) + 1 (0 when the window does not fit).
 */
export function outputSize(size: number, k: number, stride: number, pad: number, dil: number): number {
  const n = Math.floor((size + 2 * pad - dil * (k - 1) - 1) / stride) + 1;
  return Math.max(n, 0);
}

/** Throws a RangeError unless kernel size, stride and dilation are ≥ 1 and padding ≥ 0 (integers). */
export function checkGeometry(op: string, g: ConvGeometry): void {
  const pairs: [string, readonly [number, number], number][] = [
    ['kernelSize', g.kernelSize, 1],
    ['stride', g.stride, 1],
    ['padding', g.padding, 0],
    ['dilation', g.dilation, 1],
  ];
  for (const [name, pair, min] of pairs) {
    if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
      throw new RangeError(`${op}: ${name} must be two integers ≥ ${min}, got ${JSON.stringify(pair)}`);
    }
  }
}

/**
 * The window positions `[lo, hi)` along one spatial dim whose tap `pos·stride + offset` falls
 * inside `[0, size)` (`offset` = tap·dilation - padding); `lo ≤ hi`, both within `[0, count]`.
 */
export function validPositions(size: number, offset: number, stride: number, count: number): [number, number] {
  const lo = Math.min(count, Math.max(0, Math.ceil(-offset / stride)));
  const hi = Math.max(lo, Math.min(count, Math.floor((size - 1 - offset) / stride) + 1));
  return [lo, hi];
}
