import { DTYPES, type DType } from '../dtype.js';
import type { Engine } from '../engine.js';
import { CaseContext, ConformanceError, type ConformanceOptions, type Tolerance } from './harness.js';

/** The float dtypes. */
export const FLOATS: readonly DType[] = ['float32', 'float64'];
/** The number dtypes. */
export const NUMERIC: readonly DType[] = ['float32', 'float64', 'int32'];
/** Every dtype. */
export const ALL: readonly DType[] = DTYPES;

/** What each case module uses to register its cases. */
export class Suite {
  private enginePromise: Promise<Engine> | null = null;
  private currentKernel = '';
  private readonly enabled: ReadonlySet<DType>;
  private readonly tol: Record<'float32' | 'float64', Tolerance>;

  constructor(readonly options: ConformanceOptions) {
    this.enabled = new Set(options.dtypes ?? DTYPES);
    this.tol = {
      float32: options.tolerance?.float32 ?? { rtol: 1e-5, atol: 1e-6 },
      float64: options.tolerance?.float64 ?? { rtol: 1e-10, atol: 1e-12 },
    };
  }

  /** The engine under test, created once. */
  engine(): Promise<Engine> {
    this.enginePromise ??= Promise.resolve().then(() => this.options.makeEngine());
    return this.enginePromise;
  }

  /** Whether the backend supports a dtype. */
  has(dtype: DType): boolean {
    return this.enabled.has(dtype);
  }

  /** The supported subset of `dtypes`. */
  dtypes(dtypes: readonly DType[]): DType[] {
    return dtypes.filter((d) => this.enabled.has(d));
  }

  /** Groups the cases of one kernel (skipped entirely when listed in `skip`). */
  kernel(name: string, body: () => void): void {
    if (this.options.skip?.includes(name)) return;
    this.options.describe(name, () => {
      const prev = this.currentKernel;
      this.currentKernel = name;
      try {
        body();
      } finally {
        this.currentKernel = prev;
      }
    });
  }

  /**
   * Registers one case. The case gets a fresh {@link CaseContext}; afterwards its tensors are
   * disposed and the engine's memory (and the backend's, unless disabled) must be back where it started.
   */
  test(title: string, fn: (c: CaseContext) => Promise<void> | void): void {
    const kernel = this.currentKernel;
    if (this.options.skip?.includes(`${kernel}: ${title}`)) return;
    this.options.it(title, async () => {
      const engine = await this.engine();
      const backend = engine.getBackend(this.options.backendName);
      const before = engine.memory();
      const backendBefore = backend.memory();
      const c = new CaseContext(engine, this.options.backendName, this.tol);
      try {
        await fn(c);
      } finally {
        c.disposeAll();
      }
      const after = engine.memory();
      if (after.numTensors !== before.numTensors || after.numDataBuffers !== before.numDataBuffers || after.numBytes !== before.numBytes) {
        throw new ConformanceError(
          `${kernel}: ${title}: engine memory not restored after disposing every tensor ` +
            `(before ${JSON.stringify(before)}, after ${JSON.stringify(after)})`,
        );
      }
      const backendAfter = backend.memory();
      if (this.options.checkBackendMemory !== false && (backendAfter.numBuffers !== backendBefore.numBuffers || backendAfter.numBytes !== backendBefore.numBytes)) {
        throw new ConformanceError(
          `${kernel}: ${title}: backend memory not restored (before ${JSON.stringify(backendBefore)}, ` +
            `after ${JSON.stringify(backendAfter)}): a kernel leaks buffers`,
        );
      }
    });
  }

  /** Like {@link each}, for cases with NaN/±Infinity inputs or results (skipped when `specialValues` is false). */
  eachSpecial(dtypes: readonly DType[], title: string, fn: (c: CaseContext, dtype: DType) => Promise<void> | void): void {
    if (this.options.specialValues === false) return;
    this.each(dtypes, title, fn);
  }

  /** Registers one case per supported dtype of `dtypes`, titled `title [dtype]`. */
  each(dtypes: readonly DType[], title: string, fn: (c: CaseContext, dtype: DType) => Promise<void> | void): void {
    for (const d of this.dtypes(dtypes)) this.test(`${title} [${d}]`, (c) => fn(c, d));
  }
}
