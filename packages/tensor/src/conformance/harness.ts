import type { DType } from '../dtype.js';
import type { Engine } from '../engine.js';
import type { KernelAttrs, KernelName } from '../kernel-names.js';
import type { Tensor } from '../tensor.js';

/** Element-wise tolerance: a value passes iff |actual - expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The test-framework functions the suite registers its cases with (vitest's, jest's, mocha's...). */
export interface TestApi {
  /** Groups cases. */
  describe: (name: string, fn: () => void) => void;
  /** Registers one case; async cases return a promise. */
  it: (name: string, fn: () => Promise<void>) => void;
}

/** Options of `runBackendConformance`. */
export interface ConformanceOptions extends TestApi {
  /** The backend under test (kernels are looked up under this name). */
  backendName: string;
  /** Creates an engine with the backend registered and current. Called once, lazily. */
  makeEngine: () => Engine | Promise<Engine>;
  /** The dtypes the backend supports (default: float32, float64, int32, bool). */
  dtypes?: readonly DType[];
  /** Kernel names, or `'kernel: case title'` strings, whose cases are not registered. */
  skip?: readonly string[];
  /** Tolerances for float results compared with double-precision references. */
  tolerance?: Partial<Record<'float32' | 'float64', Tolerance>>;
  /**
   * Whether every case must leave `backend.memory()` where it found it (default true). Backends that
   * pool buffers may turn this off; the engine's own memory is always checked.
   */
  checkBackendMemory?: boolean;
  /**
   * Whether to run the cases with non-finite inputs or results (NaN, ±Infinity) (default true).
   * PyTorch semantics require them; a backend whose device cannot represent them may opt out.
   */
  specialValues?: boolean;
}

/** What a case expects of a tensor. */
export interface Expected {
  shape: readonly number[];
  dtype: DType;
  values: ArrayLike<number | boolean> | readonly (number | boolean)[];
}

/** Thrown when a conformance expectation fails. */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
}

/** Fails the case with `message` unless `cond` holds. */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new ConformanceError(message);
}


/** Rounds a number the way storing it in a tensor of `dtype` does (float32: nearest, int32: toward 0, bool: ≠ 0). */
export function roundTo(dtype: DType, v: number): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
    case 'int32':
      return Math.trunc(v) | 0;
    case 'bool':
      return v !== 0 ? 1 : 0;
  }
}

function num(v: number | boolean): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

function fmt(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** One running case: creates tracked tensors, runs kernels, checks results, and cleans up. */
export class CaseContext {
  private readonly tracked: Tensor[] = [];

  constructor(
    /** The engine under test. */
    readonly engine: Engine,
    /** The backend name. */
    readonly backendName: string,
    private readonly tol: Record<'float32' | 'float64', Tolerance>,
  ) {}

  /** A tensor with `values` (booleans allowed) of `shape` and `dtype`, disposed when the case ends. */
  t(values: readonly (number | boolean)[], shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const arr = values.map(num);
    const data =
      dtype === 'float32'
        ? new Float32Array(arr)
        : dtype === 'float64'
          ? new Float64Array(arr)
          : dtype === 'int32'
            ? Int32Array.from(arr, (v) => Math.trunc(v))
            : Uint8Array.from(arr, (v) => (v !== 0 ? 1 : 0));
    return this.track(this.engine.makeTensor(data, [...shape], dtype, this.backendName));
  }

  /** Tracks a tensor so it is disposed when the case ends. */
  track(t: Tensor): Tensor {
    this.tracked.push(t);
    return t;
  }

  /** Runs a kernel through `engine.runKernel` and returns its first output (all outputs are tracked). */
  run<K extends KernelName>(kernel: K, inputs: readonly Tensor[], attrs: KernelAttrs[K]): Tensor {
    // kernels without inputs (fill) run on the backend under test, not on the engine's current one
    const outs = this.engine.runKernel(kernel, inputs, attrs, inputs.length === 0 ? this.backendName : undefined);
    for (const o of outs) this.track(o);
    assert(outs.length >= 1, `${kernel}: expected an output tensor`);
    return outs[0] as Tensor;
  }

  /** The tensor's values (async read, so every backend can serve it). */
  async values(t: Tensor): Promise<number[]> {
    return Array.from(await t.data(), Number);
  }

  /**
   * Checks shape, dtype and values. Float results are compared with the suite tolerance (or `tol`;
   * `'exact'` compares with the expected value rounded to the dtype); int32 and bool exactly.
   * NaN matches NaN, infinities must match, and -0 equals 0.
   */
  async expect(t: Tensor, expected: Expected, tol?: Tolerance | 'exact', what = 'result'): Promise<void> {
    const shapeOk = t.shape.length === expected.shape.length && t.shape.every((d, i) => d === expected.shape[i]);
    assert(shapeOk, `${what}: expected shape [${expected.shape.join(', ')}], got [${t.shape.join(', ')}]`);
    assert(t.dtype === expected.dtype, `${what}: expected dtype ${expected.dtype}, got ${t.dtype}`);
    const actual = await this.values(t);
    const exp = Array.from(expected.values as ArrayLike<number | boolean>, num);
    assert(actual.length === exp.length, `${what}: expected ${exp.length} values, got ${actual.length}`);
    const isF = t.dtype === 'float32' || t.dtype === 'float64';
    const tolerance = !isF || tol === 'exact' ? null : (tol ?? this.tol[t.dtype as 'float32' | 'float64']);
    for (let i = 0; i < exp.length; i++) {
      const a = actual[i] as number;
      const e = tolerance === null ? roundTo(t.dtype, exp[i] as number) : (exp[i] as number);
      let ok: boolean;
      if (Number.isNaN(e)) ok = Number.isNaN(a);
      else if (!Number.isFinite(e) || tolerance === null) ok = a === e;
      else ok = Math.abs(a - e) <= tolerance.atol + tolerance.rtol * Math.abs(e);
      if (!ok) {
        const shown = (xs: number[]): string => xs.slice(0, 24).map(fmt).join(', ') + (xs.length > 24 ? ', ...' : '');
        throw new ConformanceError(
          `${what}: value ${i} is ${fmt(a)}, expected ${fmt(e)}` +
            (tolerance ? ` (rtol ${tolerance.rtol}, atol ${tolerance.atol})` : ' (exact)') +
            `\n  actual:   [${shown(actual)}]\n  expected: [${shown(exp)}]`,
        );
      }
    }
  }

  /**
   * Expects `fn` (running a kernel, and reading its result, so lazily validating backends pass too)
   * to fail with an error that is an instance of `type` and whose message contains every `parts` entry.
   */
  async expectError(fn: () => unknown, type: (new (message?: string) => Error) | null, parts: readonly (string | RegExp)[] = []): Promise<void> {
    let err: unknown = null;
    try {
      const r = fn();
      if (r instanceof Promise) await r;
    } catch (e) {
      err = e;
    }
    assert(err !== null, `expected an error${type ? ` (${type.name})` : ''}, but none was thrown`);
    if (type !== null) {
      assert(err instanceof type, `expected a ${type.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    }
    const message = String((err as Error)?.message ?? err);
    for (const p of parts) {
      const ok = typeof p === 'string' ? message.includes(p) : p.test(message);
      assert(ok, `expected the error message to mention ${String(p)}, got: ${message}`);
    }
  }

  /** Disposes every tensor the case created. */
  disposeAll(): void {
    for (const t of this.tracked) t.dispose();
    this.tracked.length = 0;
  }
}
