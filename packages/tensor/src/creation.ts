import { allocArray, assertDType, isFloat, toArrayOf, type DType, type DataArray } from './dtype.js';
import { getEngine, type Engine } from './engine.js';
import { DTypeError, ShapeError } from './errors.js';
import { defaultGenerator, type Generator } from './generator.js';
import { assertShape, sizeOf, type Shape } from './shape.js';
import { Tensor } from './tensor.js';

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** Element type (default `float32`; `tensor()` infers `bool` from booleans and keeps a typed array's type). */
  dtype?: DType;
  /** Make a leaf that requires grad. */
  requiresGrad?: boolean;
  /** Backend to create on (default: the engine's current backend). */
  backend?: string;
  /** Engine to create in (default: the default engine). */
  engine?: Engine;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** Generator to draw from (default: the default generator). */
  generator?: Generator;
}

/** Nested arrays of numbers or booleans, as accepted by {@link tensor}. */
export type TensorData = number | boolean | readonly TensorData[] | DataArray;

function finish(t: Tensor, opts: CreateOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

function make(values: DataArray, shape: Shape, dtype: DType, opts: CreateOptions): Tensor {
  const engine = opts.engine ?? getEngine();
  return finish(engine.makeTensor(values, shape, dtype, opts.backend), opts);
}

function inferShape(data: TensorData, path: number[] = []): number[] {
  if (Array.isArray(data)) {
    const shape = [data.length];
    if (data.length === 0) return shape;
    const inner = inferShape(data[0] as TensorData, [...path, 0]);
    return shape.concat(inner);
  }
  if (ArrayBuffer.isView(data)) return [(data as DataArray).length];
  return [];
}

function flatten(data: TensorData, shape: number[], depth: number, out: number[], path: number[], state: { sawBool: boolean; sawNum: boolean }): void {
  if (depth === shape.length) {
    if (Array.isArray(data) || ArrayBuffer.isView(data)) {
      throw new ShapeError(`tensor: ragged nested arrays: expected a scalar at index [${path.join(', ')}], found a sequence`);
    }
    if (typeof data === 'boolean') {
      state.sawBool = true;
      out.push(data ? 1 : 0);
    } else if (typeof data === 'number') {
      state.sawNum = true;
      out.push(data);
    } else {
      throw new TypeError(`tensor: expected numbers or booleans, found ${typeof data} at index [${path.join(', ')}]`);
    }
    return;
  }
  const seq = data as readonly TensorData[] | DataArray;
  if (!Array.isArray(seq) && !ArrayBuffer.isView(seq)) {
    throw new ShapeError(`tensor: ragged nested arrays: expected a sequence of length ${shape[depth]} at index [${path.join(', ')}], found a scalar`);
  }
  if (seq.length !== shape[depth]) {
    throw new ShapeError(
      `tensor: ragged nested arrays: expected a sequence of length ${shape[depth]} at dimension ${depth} (index [${path.join(', ')}]), got length ${seq.length}`,
    );
  }
  for (let i = 0; i < seq.length; i++) flatten(seq[i] as TensorData, shape, depth + 1, out, [...path, i], state);
}

function typedDType(v: DataArray): DType {
  if (v instanceof Float64Array) return 'float64';
  if (v instanceof Int32Array) return 'int32';
  if (v instanceof Uint8Array) return 'bool';
  return 'float32';
}

/**
 * Creates a tensor from a number, a boolean, nested arrays or a typed array (copied).
 * `tensor([[1, 2], [3, 4]])` is float32; booleans give `bool`; typed arrays keep their type
 * unless `dtype` says otherwise; `shape` reshapes flat typed-array data.
 */
export function tensor(data: TensorData, options: CreateOptions & { shape?: Shape } = {}): Tensor {
  if (options.dtype !== undefined) assertDType(options.dtype, 'tensor');
  if (ArrayBuffer.isView(data)) {
    const arr = data as DataArray;
    const shape = options.shape ?? [arr.length];
    assertShape(shape, 'tensor');
    if (sizeOf(shape) !== arr.length) {
      throw new ShapeError(`tensor: shape [${shape.join(', ')}] holds ${sizeOf(shape)} elements but the data has ${arr.length}`);
    }
    const dtype = options.dtype ?? typedDType(arr);
    return make(toArrayOf(dtype, arr), shape, dtype, options);
  }
  const shape = inferShape(data);
  const flat: number[] = [];
  const state = { sawBool: false, sawNum: false };
  flatten(data, shape, 0, flat, [], state);
  if (state.sawBool && state.sawNum) throw new TypeError('tensor: mixing booleans and numbers is not supported; pick one dtype');
  const dtype = options.dtype ?? (state.sawBool ? 'bool' : 'float32');
  const finalShape = options.shape ?? shape;
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(`tensor: shape [${finalShape.join(', ')}] holds ${sizeOf(finalShape)} elements but the data has ${flat.length}`);
  }
  return make(toArrayOf(dtype, flat), finalShape, dtype, options);
}

function shapeArg(shape: Shape | number, where: string): Shape {
  const s = typeof shape === 'number' ? [shape] : shape;
  assertShape(s, where);
  return s;
}

/** A tensor filled with `value`. */
export function full(shape: Shape | number, value: number | boolean, options: CreateOptions = {}): Tensor {
  const s = shapeArg(shape, 'full');
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  assertDType(dtype, 'full');
  const engine = options.engine ?? getEngine();
  const t = engine.run('fill', [], { shape: s, dtype, value: Number(value) }, options.backend);
  return finish(t, options);
}

/** A tensor of zeros. */
export function zeros(shape: Shape | number, options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: Shape | number, options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

function likeOpts(t: Tensor, options: CreateOptions): CreateOptions {
  return { dtype: t.dtype, backend: t.backendName, engine: t.engine, ...options };
}

/** Zeros with `t`'s shape, dtype and backend. */
export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return zeros(t.shape, likeOpts(t, options));
}

/** Ones with `t`'s shape, dtype and backend. */
export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return ones(t.shape, likeOpts(t, options));
}

/** `value` with `t`'s shape, dtype and backend. */
export function fullLike(t: Tensor, value: number, options: CreateOptions = {}): Tensor {
  return full(t.shape, value, likeOpts(t, options));
}

/** `[start, end)` in steps of `step` (`arange(5)` is 0..4). Integer arguments give int32 unless `dtype` is set. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0) throw new RangeError('arange: step must be nonzero');
  if (![start, end, step].every(Number.isFinite)) throw new RangeError('arange: start, end and step must be finite');
  if ((end - start) / step < 0) {
    throw new RangeError(`arange: upper bound and larger bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const allInt = [start, end, step].every(Number.isInteger);
  const dtype = options.dtype ?? (allInt ? 'int32' : 'float32');
  const v = allocArray(dtype, n);
  for (let i = 0; i < n; i++) v[i] = start + i * step;
  return make(v, [n], dtype, options);
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: number of steps must be a non-negative integer, got ${steps}`);
  const dtype = options.dtype ?? 'float32';
  const v = allocArray(dtype, steps);
  const stepSize = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the first half from start and the second half from end for symmetry
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) v[i] = i < half ? start + stepSize * i : end - stepSize * (steps - 1 - i);
  return make(v, [steps], dtype, options);
}

/** An `n × m` identity matrix (m defaults to n). */
export function eye(n: number, m: number = n, options: CreateOptions = {}): Tensor {
  assertShape([n, m], 'eye');
  const dtype = options.dtype ?? 'float32';
  const v = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
  return make(v, [n, m], dtype, options);
}

function floatDType(options: CreateOptions, where: string): DType {
  const dtype = options.dtype ?? 'float32';
  assertDType(dtype, where);
  if (!isFloat(dtype)) throw new DTypeError(`${where}: expected a floating point dtype, got ${dtype}`);
  return dtype;
}

/** Uniform samples in [0, 1). */
export function rand(shape: Shape | number, options: RandomOptions = {}): Tensor {
  const s = shapeArg(shape, 'rand');
  const dtype = floatDType(options, 'rand');
  const g = options.generator ?? defaultGenerator;
  const v = allocArray(dtype, sizeOf(s));
  for (let i = 0; i < v.length; i++) v[i] = dtype === 'float32' ? g.nextFloat() : g.nextDouble();
  return make(v, s, dtype, options);
}

/** Standard normal samples. */
export function randn(shape: Shape | number, options: RandomOptions = {}): Tensor {
  const s = shapeArg(shape, 'randn');
  const dtype = floatDType(options, 'randn');
  const g = options.generator ?? defaultGenerator;
  const v = allocArray(dtype, sizeOf(s));
  for (let i = 0; i < v.length; i++) v[i] = g.nextNormalSample();
  return make(v, s, dtype, options);
}

/** Uniform integers in [low, high) (int32 unless `dtype` says otherwise). */
export function randint(low: number, high: number, shape: Shape | number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new RangeError(`randint: low and high must be integers, got ${low}, ${high}`);
  if (high <= low) throw new RangeError(`randint: high (${high}) must be greater than low (${low})`);
  const s = shapeArg(shape, 'randint');
  const dtype = options.dtype ?? 'int32';
  const g = options.generator ?? defaultGenerator;
  const v = allocArray(dtype, sizeOf(s));
  for (let i = 0; i < v.length; i++) v[i] = g.nextInt(low, high);
  return make(v, s, dtype, options);
}

/** A random permutation of 0..n-1 (int32). */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm: n must be a non-negative integer, got ${n}`);
  const g = options.generator ?? defaultGenerator;
  const v = new Int32Array(n);
  for (let i = 0; i < n; i++) v[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.nextInt(0, i + 1);
    const tmp = v[i] as number;
    v[i] = v[j] as number;
    v[j] = tmp;
  }
  const dtype = options.dtype ?? 'int32';
  return make(toArrayOf(dtype, v), [n], dtype, options);
}

/** Uniform samples with `t`'s shape, dtype and backend. */
export function randLike(t: Tensor, options: RandomOptions = {}): Tensor {
  return rand(t.shape, { dtype: t.dtype, backend: t.backendName, engine: t.engine, ...options });
}

/** Normal samples with `t`'s shape, dtype and backend. */
export function randnLike(t: Tensor, options: RandomOptions = {}): Tensor {
  return randn(t.shape, { dtype: t.dtype, backend: t.backendName, engine: t.engine, ...options });
}

/** A 0-d tensor holding `value`, on `like`'s engine and backend. Used for JS-number operands. */
export function scalarLike(value: number, dtype: DType, like: Tensor): Tensor {
  const v = allocArray(dtype, 1);
  v[0] = value;
  return like.engine.makeTensor(v, [], dtype, like.backendName);
}
