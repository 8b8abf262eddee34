/**
 * Naive reference computations used by the conformance cases. They are written independently of
 * any backend: plain multi-index loops that mirror the PyTorch definitions, kept simple rather than fast.
 */

/** Number of elements of a shape. */
export function numel(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** The multi-index of flat position `i` in a row-major `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d] as number;
    idx[d] = i % s;
    i = Math.floor(i / s);
  }
  return idx;
}

/** The flat row-major position of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * (shape[d] as number) + (idx[d] as number);
  return off;
}

/** NumPy broadcast of several shapes (throws on mismatch). */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let d = 0; d < rank; d++) {
    let size = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + d] ?? 1;
      if (v !== 1) {
        if (size !== 1 && size !== v) throw new Error('reference: shapes do not broadcast');
        size = v;
      }
    }
    out.push(size);
  }
  return out;
}

/** The flat position in an input of `inShape` read by output multi-index `outIdx` under broadcasting. */
export function broadcastSource(outIdx: readonly number[], inShape: readonly number[]): number {
  const lead = outIdx.length - inShape.length;
  const idx = inShape.map((s, d) => (s === 1 ? 0 : (outIdx[lead + d] as number)));
  return ravel(idx, inShape);
}

/** Applies `fn` over broadcast inputs: returns the output shape and values. */
export function broadcastMap(
  inputs: { values: readonly number[]; shape: readonly number[] }[],
  fn: (...xs: number[]) => number,
): { shape: number[]; values: number[] } {
  const shape = broadcastShape(...inputs.map((i) => i.shape));
  const values: number[] = [];
  for (let i = 0; i < numel(shape); i++) {
    const idx = unravel(i, shape);
    values.push(fn(...inputs.map((inp) => inp.values[broadcastSource(idx, inp.shape)] as number)));
  }
  return { shape, values };
}

/** Reduces `values` of `shape` over `axes` with `combine` starting from `init`; returns shape and values. */
export function reduceRef(
  values: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
  keepdim: boolean,
  init: number,
  combine: (acc: number, v: number) => number,
): { shape: number[]; values: number[] } {
  const outShapeKeep = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepdim ? outShapeKeep : shape.filter((_, i) => !axes.includes(i));
  const acc = new Array<number>(numel(outShapeKeep)).fill(init);
  for (let i = 0; i < values.length; i++) {
    const idx = unravel(i, shape).map((v, d) => (axes.includes(d) ? 0 : v));
    const o = ravel(idx, outShapeKeep);
    acc[o] = combine(acc[o] as number, values[i] as number);
  }
  return { shape: outShape, values: acc };
}

/** Naive batched matmul with optional transposes and batch broadcasting, over rank-3 inputs. */
export function matmulRef(
  a: readonly number[],
  aShape: readonly [number, number, number],
  b: readonly number[],
  bShape: readonly [number, number, number],
  transposeA: boolean,
  transposeB: boolean,
): { shape: number[]; values: number[] } {
  const [ba, a1, a2] = aShape;
  const [bb, b1, b2] = bShape;
  const m = transposeA ? a2 : a1;
  const k = transposeA ? a1 : a2;
  const n = transposeB ? b1 : b2;
  const batch = ba === 1 ? bb : ba; // broadcasting: a size-1 batch takes the other (even 0)
  const A = (t: number, i: number, p: number): number =>
    a[(ba === 1 ? 0 : t) * a1 * a2 + (transposeA ? p * a2 + i : i * a2 + p)] as number;
  const B = (t: number, p: number, j: number): number =>
    b[(bb === 1 ? 0 : t) * b1 * b2 + (transposeB ? j * b2 + p : p * b2 + j)] as number;
  const values: number[] = [];
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A(t, i, p) * B(t, p, j);
        values.push(s);
      }
    }
  }
  return { shape: [batch, m, n], values };
}

/** Geometry of an unfold/fold. */
export interface Geometry {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

/** Output positions along one dim, from the torch.nn.Unfold documentation. */
export function blocks(size: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/**
 * Naive torch.nn.functional.unfold: returns, for each (row, column) of the [C*kh*kw, L] matrix of
 * image n, the input pixel (c, y, x) it reads, or null for padding.
 */
export function unfoldTaps(
  c: number,
  h: number,
  w: number,
  g: Geometry,
): { rows: number; L: number; tap: (row: number, col: number) => [number, number, number] | null } {
  const [kh, kw] = g.kernelSize;
  const oh = blocks(h, kh, g.stride[0], g.padding[0], g.dilation[0]);
  const ow = blocks(w, kw, g.stride[1], g.padding[1], g.dilation[1]);
  return {
    rows: c * kh * kw,
    L: oh * ow,
    tap(row, col) {
      const ch = Math.floor(row / (kh * kw));
      const i = Math.floor((row % (kh * kw)) / kw);
      const j = row % kw;
      const y = Math.floor(col / ow) * g.stride[0] - g.padding[0] + i * g.dilation[0];
      const x = (col % ow) * g.stride[1] - g.padding[1] + j * g.dilation[1];
      return y >= 0 && y < h && x >= 0 && x < w ? [ch, y, x] : null;
    },
  };
}

/** A reproducible pseudo-random sequence (a linear congruential generator) of multiples of 1/16 in [-4, 4). */
export function sixteenths(count: number, seed = 1): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(((s >>> 8) % 128) / 16 - 4);
  }
  return out;
}

/** A reproducible sequence of integers in [lo, hi). */
export function ints(count: number, lo: number, hi: number, seed = 7): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 22695477) + 1) >>> 0;
    out.push(lo + ((s >>> 10) % (hi - lo)));
  }
  return out;
}

/** erf by its Maclaurin series, 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)); accurate to ~1e-13 for |x| ≤ 2.5. */
export function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-18 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
