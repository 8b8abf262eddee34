import type { AutogradHooks } from './autograd-hooks.js';
import type { Backend, DataId, TensorInfo } from './backend.js';
import { itemSize, type DType, type DataArray } from './dtype.js';
import { KernelNotFoundError } from './errors.js';
import { KernelRegistry, type KernelConfig } from './kernel-registry.js';
import type { KernelAttrs, KernelName } from './kernel-names.js';
import { sizeOf, type Shape } from './shape.js';
import { collectTensors, type TidyResult } from './tidy-result.js';
import { Tensor } from './tensor.js';

/** Live tensors and buffers known to an engine. */
export interface EngineMemory {
  /** Tensors created and not yet disposed. */
  numTensors: number;
  /** Distinct buffers those tensors use (views share one). */
  numDataBuffers: number;
  /** Bytes held by those buffers. */
  numBytes: number;
  /** Per backend: buffers and bytes. */
  backends: Record<string, { numDataBuffers: number; numBytes: number }>;
}

interface DataRecord {
  backend: string;
  refCount: number;
  bytes: number;
}

/**
 * Owns backends, the kernel registry, buffer reference counts, tidy scopes and the autograd
 * hooks. `tensor(...)` and friends use the default engine ({@link getEngine}); tests and
 * applications may create their own.
 */
export class Engine {
  /** Kernels keyed by (op, backend). */
  readonly registry = new KernelRegistry();
  private readonly backends = new Map<string, Backend>();
  private current: string | null = null;
  private readonly data = new Map<DataId, DataRecord>();
  private readonly scopes: Set<Tensor>[] = [];
  private liveTensors = 0;
  /** Autograd hooks, installed by `@backstep/autograd`'s `registerAutograd`. */
  autograd: AutogradHooks | null = null;

  // ---- backends -------------------------------------------------------------------------

  /** Registers a backend. The first one registered becomes the current backend. */
  registerBackend(backend: Backend, options: { setCurrent?: boolean } = {}): void {
    if (this.backends.has(backend.name)) throw new Error(`Backend '${backend.name}' is already registered`);
    this.backends.set(backend.name, backend);
    if (this.current === null || options.setCurrent) this.current = backend.name;
  }

  /** Whether a backend of that name is registered. */
  hasBackend(name: string): boolean {
    return this.backends.has(name);
  }

  /** Names of the registered backends. */
  backendNames(): string[] {
    return [...this.backends.keys()];
  }

  /** Makes `name` the backend new tensors are created on. */
  setBackend(name: string): void {
    if (!this.backends.has(name)) {
      throw new KernelNotFoundError(
        `Backend '${name}' is not registered (registered: ${this.backendNames().join(', ') || 'none'})`,
      );
    }
    this.current = name;
  }

  /** The current backend's name. */
  get backendName(): string {
    if (this.current === null) {
      throw new KernelNotFoundError(
        'No backend is registered: call registerCpuBackend() from @backstep/backend-cpu (or use the backstep package)',
      );
    }
    return this.current;
  }

  /** A backend by name (the current one by default). */
  getBackend(name: string = this.backendName): Backend {
    const b = this.backends.get(name);
    if (b === undefined) throw new KernelNotFoundError(`Backend '${name}' is not registered`);
    return b;
  }

  /** Registers a kernel into this engine's registry. */
  registerKernel<K extends string>(config: KernelConfig<K>): void {
    this.registry.register(config);
  }

  /** Whether a kernel exists for the backend (the current one by default). */
  hasKernel(kernelName: string, backendName: string = this.backendName): boolean {
    return this.registry.find(kernelName, backendName) !== undefined;
  }

  // ---- running kernels -------------------------------------------------------------------

  /**
   * Runs a kernel on the inputs' backend (or `backend`, or the current one for kernels without
   * inputs), wraps its outputs as tensors, and lets autograd record the op.
   */
  runKernel<K extends KernelName>(kernelName: K, inputs: readonly Tensor[], attrs: KernelAttrs[K], backend?: string): Tensor[];
  runKernel(kernelName: string, inputs: readonly Tensor[], attrs: Record<string, unknown>, backend?: string): Tensor[];
  runKernel(kernelName: string, inputs: readonly Tensor[], attrs: Record<string, unknown>, backend?: string): Tensor[] {
    const backendName = backend ?? this.backendOf(kernelName, inputs);
    const kernel = this.registry.get(kernelName, backendName);
    const infos: TensorInfo[] = inputs.map((t) => t.info());
    const out = kernel.kernelFunc({ inputs: infos, attrs, backend: this.getBackend(backendName) });
    const outInfos = Array.isArray(out) ? out : [out];
    const outputs = outInfos.map((o) => this.makeTensorFromInfo(o, backendName));
    const ag = this.autograd;
    if (ag !== null && ag.isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
      ag.record(kernelName, inputs, attrs, outputs);
    }
    return outputs;
  }

  /** Like {@link runKernel} for single-output kernels. */
  run<K extends KernelName>(kernelName: K, inputs: readonly Tensor[], attrs: KernelAttrs[K], backend?: string): Tensor {
    return this.runKernel(kernelName, inputs, attrs, backend)[0] as Tensor;
  }

  private backendOf(kernelName: string, inputs: readonly Tensor[]): string {
    if (inputs.length === 0) return this.backendName;
    const first = inputs[0] as Tensor;
    for (const t of inputs) {
      t.assertLive(kernelName);
      if (t.backendName !== first.backendName) {
        throw new Error(
          `${kernelName}: expected all tensors on the same backend, but found '${first.backendName}' and '${t.backendName}' ` +
            `(move one with tensor.to('${first.backendName}'))`,
        );
      }
    }
    return first.backendName;
  }

  // ---- tensors and buffers -----------------------------------------------------------------

  /** Creates a tensor from host values (copied into a backend buffer). */
  makeTensor(values: DataArray, shape: Shape, dtype: DType, backend: string = this.backendName): Tensor {
    const b = this.getBackend(backend);
    const dataId = b.write(values, dtype, shape);
    return this.makeTensorFromInfo({ dataId, shape, dtype }, backend);
  }

  /** Wraps a kernel output as a tensor, taking a reference on its buffer. */
  makeTensorFromInfo(info: TensorInfo, backend: string): Tensor {
    const t = new Tensor(this, info.dataId, [...info.shape], info.dtype, backend);
    this.registerTensor(t);
    return t;
  }

  /**
   * Counts a newly constructed tensor as live, takes a reference on its buffer and adds it to the
   * innermost tidy scope. Tensor subclasses (e.g. `Parameter`) call this from their constructor.
   */
  registerTensor(t: Tensor): void {
    this.incRef(t.dataId, t.backendName, sizeOf(t.shape) * itemSize(t.dtype));
    this.liveTensors++;
    const scope = this.scopes[this.scopes.length - 1];
    if (scope !== undefined) scope.add(t);
  }

  /** Takes a reference on a buffer (registering it when new). */
  incRef(dataId: DataId, backend: string, bytes: number): void {
    const rec = this.data.get(dataId);
    if (rec === undefined) this.data.set(dataId, { backend, refCount: 1, bytes });
    else rec.refCount++;
  }

  /** Drops a reference; the backend frees the buffer when none are left. */
  decRef(dataId: DataId): void {
    const rec = this.data.get(dataId);
    if (rec === undefined) return;
    rec.refCount--;
    if (rec.refCount <= 0) {
      this.data.delete(dataId);
      this.getBackend(rec.backend).disposeData(dataId);
    }
  }

  /** The number of tensors referencing a buffer (0 when freed). */
  refCount(dataId: DataId): number {
    return this.data.get(dataId)?.refCount ?? 0;
  }

  /** Called by `Tensor.dispose()`. */
  disposeTensor(t: Tensor): void {
    this.liveTensors--;
    for (const s of this.scopes) s.delete(t);
    this.decRef(t.dataId);
  }

  /** Live tensors, buffers and bytes (a training loop that holds flat memory keeps these flat). */
  memory(): EngineMemory {
    const backends: EngineMemory['backends'] = {};
    let numBytes = 0;
    for (const rec of this.data.values()) {
      numBytes += rec.bytes;
      const b = (backends[rec.backend] ??= { numDataBuffers: 0, numBytes: 0 });
      b.numDataBuffers++;
      b.numBytes += rec.bytes;
    }
    return { numTensors: this.liveTensors, numDataBuffers: this.data.size, numBytes, backends };
  }

  // ---- scopes ------------------------------------------------------------------------------

  /**
   * Runs `fn` and disposes every tensor created inside it, except those it returns (in an array
   * or object too) and those passed to {@link keep}. Returned tensors move to the enclosing scope.
   */
  tidy<T extends TidyResult>(fn: () => T): T {
    const scope = new Set<Tensor>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.scopes.pop();
      for (const t of scope) if (!t.isDisposed) t.dispose();
      throw e;
    }
    this.scopes.pop();
    if (result instanceof Promise) {
      throw new Error('tidy: the function must be synchronous (it returned a Promise)');
    }
    const keepSet = new Set(collectTensors(result));
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope) {
      if (keepSet.has(t)) parent?.add(t);
      else if (!t.isDisposed) t.dispose();
    }
    return result;
  }

  /** Exempts a tensor from disposal by every enclosing `tidy`. Returns it. */
  keep<T extends Tensor>(t: T): T {
    for (const s of this.scopes) s.delete(t);
    return t;
  }

  /** Whether autograd is recording now. */
  isGradEnabled(): boolean {
    return this.autograd?.isGradEnabled() ?? false;
  }
}

let defaultEngine: Engine | null = null;

/** The default engine that `tensor(...)`, `zeros(...)` and the other creation functions use. */
export function getEngine(): Engine {
  defaultEngine ??= new Engine();
  return defaultEngine;
}

/** Replaces the default engine (tests use this to start from a clean one). Returns the previous one. */
export function setEngine(engine: Engine): Engine {
  const prev = getEngine();
  defaultEngine = engine;
  return prev;
}
