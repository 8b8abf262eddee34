import { shapesEqual, zeros, type Tensor } from '@backstep/tensor';
import type { GradRule, RecordInfo } from '../rule.js';

/** A table of gradient rules keyed by kernel name. */
export type RuleTable = Readonly<Record<string, GradRule>>;

/**
 * Reduces a broadcast gradient back to `shape`: sums over the leading dims that broadcasting
 * added and over the dims where `shape` has size 1. Returns `g` itself when the shapes match.
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new Error(`sumToShape: gradient shape [${g.shape.join(', ')}] has fewer dims than [${shape.join(', ')}]`);
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length > 0 ? g.engine.run('sum', [g], { axes, keepdim: true }) : g;
  return g.engine.run('reshape', [s], { shape: [...shape] });
}

/** Zeros of `shape` with `like`'s dtype, engine and backend. */
export function zerosOf(shape: readonly number[], like: Tensor): Tensor {
  return zeros([...shape], { dtype: like.dtype, backend: like.backendName, engine: like.engine });
}

/** `g` reshaped so reduced `axes` are kept as size-1 dims (undoes `keepdim: false`). */
export function keepDims(g: Tensor, inputShape: readonly number[], axes: readonly number[], keepdim: boolean): Tensor {
  if (keepdim) return g;
  const shape = inputShape.map((s, i) => (axes.includes(i) ? 1 : s));
  return g.engine.run('reshape', [g], { shape });
}

/** Pads `t` with zeros at the end of each dim up to `shape` (returns `t` when it already fits). */
export function padTo(t: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  return t.engine.run('sliceScatter', [zerosOf(shape, t), t], {
    begin: shape.map(() => 0),
    end: [...t.shape],
    step: shape.map(() => 1),
  });
}

/** A `saveInputs` picker: save input j when some other input i requires grad (pairs [i needs → save j]). */
export function saveFor(pairs: readonly (readonly [number, number])[]): (info: RecordInfo) => number[] {
  return (info) => pairs.filter(([need]) => info.needs[need]).map(([, save]) => save);
}
