import type { BackwardOptions } from './autograd-hooks.js';
import type { DataId, TensorInfo } from './backend.js';
import { isFloat, itemSize, type DType, type DataArray } from './dtype.js';
import type { Engine } from './engine.js';
import { DisposedError, DTypeError, ShapeError } from './errors.js';
import { contiguousStrides, fmtShape, shapesEqual, sizeOf } from './shape.js';
import { formatTensor } from './format.js';

/** A nested array of numbers (or booleans for bool tensors), as `toArray()` returns. */
export type NestedArray = number | boolean | NestedArray[];

/** The node of the autograd graph that produced a tensor (defined by `@backstep/autograd`). */
export interface GradFnLike {
  /** The op's name, e.g. `'MulBackward'`. */
  readonly name: string;
}

/** A hook run on a tensor's gradient during backward; returning a tensor replaces the gradient. */
export type TensorHook = (grad: Tensor) => Tensor | void;

let nextTensorId = 0;

/**
 * An n-dimensional array on a backend. Tensors are contiguous and row-major; views such as
 * `reshape` share their buffer, while `transpose`/`permute`/`expand` materialise a copy.
 * Ops are available both as functions (`add(a, b)`) and as methods (`a.add(b)`).
 */
export class Tensor {
  /** A process-unique id. */
  readonly id = nextTensorId++;
  /** The engine that owns this tensor's buffer. */
  readonly engine: Engine;
  /** The backend buffer. Changes only through in-place ops (which bump {@link Tensor.version}). */
  dataId: DataId;
  /** The shape, one entry per dimension. */
  readonly shape: readonly number[];
  /** The element type. */
  readonly dtype: DType;
  /** The backend this tensor lives on. */
  readonly backendName: string;
  /** The autograd node that produced this tensor; null for leaves. */
  gradFn: GradFnLike | null = null;
  /** Whether `.grad` is kept for this non-leaf tensor (see `retainGrad()`). */
  retainsGrad = false;
  /** Hooks run on this tensor's gradient during backward (see `registerHook`). */
  readonly hooks: TensorHook[] = [];
  /** Incremented by every in-place change, so autograd can detect saved tensors that changed. */
  version = 0;
  /** Set by `dispose()`. */
  isDisposed = false;
  private _requiresGrad = false;
  private _grad: Tensor | null = null;

  /** Use the creation functions (`tensor`, `zeros`, ...) instead; this wraps an existing buffer. */
  constructor(engine: Engine, dataId: DataId, shape: number[], dtype: DType, backendName: string) {
    this.engine = engine;
    this.dataId = dataId;
    this.shape = Object.freeze(shape);
    this.dtype = dtype;
    this.backendName = backendName;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of dimensions (PyTorch's `dim()`). */
  dim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  numel(): number {
    return sizeOf(this.shape);
  }

  /** The shape, or the size of one dim (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    const d = dim < 0 ? dim + this.shape.length : dim;
    if (d < 0 || d >= this.shape.length) {
      throw new RangeError(`size: dimension out of range (expected to be in range of [${-this.shape.length}, ${this.shape.length - 1}], but got ${dim})`);
    }
    return this.shape[d] as number;
  }

  /** Row-major strides in elements (tensors are always contiguous). */
  get strides(): number[] {
    return contiguousStrides(this.shape);
  }

  /** Always true: Backstep tensors are stored contiguously. */
  isContiguous(): boolean {
    return true;
  }

  /** True for tensors not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Whether gradients flow to / through this tensor. Only floating-point tensors can require grad. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloat(this.dtype)) {
      throw new DTypeError(`only Tensors of floating point dtype can require gradients (got ${this.dtype})`);
    }
    if (!value && !this.isLeaf) {
      throw new Error("you can only change requiresGrad flags of leaf variables (use detach() to get a tensor that doesn't require grad)");
    }
    this._requiresGrad = value;
  }

  /** The accumulated gradient, filled by `backward()`; assignable (same shape and dtype) or null. */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(value: Tensor | null) {
    if (value !== null) {
      if (!(value instanceof Tensor)) throw new TypeError('assigned grad must be a Tensor or null');
      value.assertLive('grad assignment');
      if (!shapesEqual(value.shape, this.shape)) {
        throw new ShapeError(`assigned grad has data of a different size: ${fmtShape(value.shape)} vs tensor ${fmtShape(this.shape)}`);
      }
      if (value.dtype !== this.dtype) {
        throw new DTypeError(`assigned grad has data of a different type: ${value.dtype} vs tensor ${this.dtype}`);
      }
      if (value.backendName !== this.backendName) {
        throw new Error(`assigned grad is on backend '${value.backendName}' but the tensor is on '${this.backendName}'`);
      }
    }
    this._grad = value;
  }

  /** Throws a clear error when this tensor has been disposed. */
  assertLive(op = 'this operation'): void {
    if (this.isDisposed) {
      throw new DisposedError(`Tensor #${this.id} (shape ${fmtShape(this.shape)}) has been disposed and cannot be used in ${op}`);
    }
  }

  /** The buffer, shape and dtype, as kernels see them. */
  info(): TensorInfo {
    this.assertLive();
    return { dataId: this.dataId, shape: this.shape, dtype: this.dtype };
  }

  /** Releases the buffer (and the gradient). Idempotent. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.engine.disposeTensor(this);
    if (this._grad !== null) {
      this._grad.dispose();
      this._grad = null;
    }
  }

  /**
   * Makes this tensor hold `src`'s values (same shape and dtype) by sharing its buffer, keeping
   * this object's identity. The building block of in-place ops and optimizer updates.
   */
  assignData(src: Tensor): this {
    this.assertLive('assignData');
    src.assertLive('assignData');
    if (!shapesEqual(src.shape, this.shape)) {
      throw new ShapeError(`assignData: source shape ${fmtShape(src.shape)} does not match tensor shape ${fmtShape(this.shape)}`);
    }
    if (src.dtype !== this.dtype) throw new DTypeError(`assignData: source dtype ${src.dtype} does not match tensor dtype ${this.dtype}`);
    if (src.backendName !== this.backendName) {
      throw new Error(`assignData: source is on backend '${src.backendName}' but the tensor is on '${this.backendName}'`);
    }
    if (src.dataId !== this.dataId) {
      this.engine.incRef(src.dataId, this.backendName, 0);
      this.engine.decRef(this.dataId);
      this.dataId = src.dataId;
    }
    this.version++;
    return this;
  }

  /**
   * Makes sure no other tensor shares this tensor's buffer (copying it if one does), so a kernel
   * may then write into the buffer in place. Fused optimizer kernels call this first; it is what
   * makes buffer-sharing snapshots (copy-on-write) safe.
   */
  ensureExclusive(): this {
    this.assertLive('ensureExclusive');
    if (this.engine.refCount(this.dataId) > 1) {
      const backend = this.engine.getBackend(this.backendName);
      const kernel = this.engine.registry.get('copy', this.backendName);
      const out = kernel.kernelFunc({ inputs: [this.info()], attrs: {}, backend });
      const info = Array.isArray(out) ? (out[0] as TensorInfo) : out;
      this.engine.incRef(info.dataId, this.backendName, sizeOf(this.shape) * itemSize(this.dtype));
      this.engine.decRef(this.dataId);
      this.dataId = info.dataId;
    }
    return this;
  }

  /**
   * A snapshot of the values that shares this tensor's buffer until either tensor changes
   * (copy-on-write): O(1), no data copied. Backstep buffers are immutable — in-place ops swap in
   * a new buffer and in-place kernels call {@link ensureExclusive} first — so the snapshot keeps
   * the values it was taken with. Never requires grad. State dicts and back-step history use it.
   */
  share(): Tensor {
    this.assertLive('share');
    return this.engine.makeTensorFromInfo(this.info(), this.backendName);
  }

  // ---- reading values ------------------------------------------------------------------

  /** The elements as a new host typed array (async: works on every backend). */
  async data(): Promise<DataArray> {
    this.assertLive('data()');
    const v = await this.engine.getBackend(this.backendName).read(this.dataId);
    return v.slice() as DataArray;
  }

  /** The elements as a new host typed array; throws on backends without synchronous reads. */
  dataSync(): DataArray {
    this.assertLive('dataSync()');
    const b = this.engine.getBackend(this.backendName);
    if (!b.supportsSyncRead) {
      throw new Error(`dataSync: backend '${this.backendName}' cannot read synchronously; use await tensor.data() or tensor.toArray()`);
    }
    return b.readSync(this.dataId).slice() as DataArray;
  }

  /** The values as nested arrays (async: works on every backend). */
  async toArray(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype === 'bool');
  }

  /** The values as nested arrays, synchronously (PyTorch's `tolist()`). */
  tolist(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype === 'bool');
  }

  /** The single value of a one-element tensor, synchronously. */
  item(): number {
    const n = this.numel();
    if (n !== 1) throw new RangeError(`item: a Tensor with ${n} elements cannot be converted to a scalar`);
    return this.dataSync()[0] as number;
  }

  /** The single value of a one-element tensor (async: works on every backend). */
  async itemAsync(): Promise<number> {
    const n = this.numel();
    if (n !== 1) throw new RangeError(`item: a Tensor with ${n} elements cannot be converted to a scalar`);
    return (await this.data())[0] as number;
  }

  // ---- autograd ------------------------------------------------------------------------

  /** Computes gradients of this tensor w.r.t. graph leaves (see `@backstep/autograd`). */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    const ag = this.engine.autograd;
    if (ag === null) {
      throw new Error(
        'backward: autograd is not installed on this engine; call registerAutograd() from @backstep/autograd (the backstep package does this for you)',
      );
    }
    ag.backward(this, gradient, options);
  }

  /** Sets `requiresGrad` in place and returns this tensor (PyTorch's `requires_grad_()`). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** Keeps `.grad` for this non-leaf tensor during backward. */
  retainGrad(): this {
    if (!this._requiresGrad) throw new Error("retainGrad: can't retain the grad of a tensor that does not require grad");
    if (!this.isLeaf) this.retainsGrad = true;
    return this;
  }

  /** Registers a hook on this tensor's gradient; returns a handle whose `remove()` unregisters it. */
  registerHook(hook: TensorHook): { remove(): void } {
    if (!this._requiresGrad) throw new Error("registerHook: cannot register a hook on a tensor that doesn't require gradient");
    this.hooks.push(hook);
    return {
      remove: () => {
        const i = this.hooks.indexOf(hook);
        if (i >= 0) this.hooks.splice(i, 1);
      },
    };
  }

  /** Internal: marks a non-leaf output of a recorded op (used by autograd). */
  setGradFn(fn: GradFnLike): void {
    this.gradFn = fn;
    this._requiresGrad = true;
  }

  /** A readable rendering of shape, dtype and (where readable synchronously) values. */
  toString(): string {
    return formatTensor(this);
  }

  /** Node's `console.log` rendering. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function nest(values: DataArray, shape: readonly number[], asBool: boolean): NestedArray {
  const get = (i: number): number | boolean => (asBool ? values[i] !== 0 : (values[i] as number));
  if (shape.length === 0) return get(0);
  const build = (dim: number, offset: number): NestedArray[] => {
    const n = shape[dim] as number;
    const out: NestedArray[] = new Array(n);
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = get(offset + i);
      return out;
    }
    let inner = 1;
    for (let d = dim + 1; d < shape.length; d++) inner *= shape[d] as number;
    for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * inner);
    return out;
  };
  return build(0, 0);
}
