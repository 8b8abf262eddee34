import { DTypeError, type Backend, type DataArray, type DType } from '@backstep/tensor';
import { CpuBackend } from '../cpu-backend.js';

/** The CPU backend a kernel runs on; throws when a CPU kernel is handed another backend. */
export function cpuBackend(backend: Backend, op: string): CpuBackend {
  if (!(backend instanceof CpuBackend)) {
    throw new TypeError(`${op}: the cpu kernel was called with backend '${backend.name}'`);
  }
  return backend;
}

/** Throws a {@link DTypeError} unless `dtype` is one of `allowed`. */
export function assertDTypeIn(op: string, dtype: DType, allowed: readonly DType[], hint = ''): void {
  if (!allowed.includes(dtype)) {
    throw new DTypeError(
      `${op}: not supported for dtype ${dtype} on the cpu backend (expected ${allowed.join(', ')})${hint ? `; ${hint}` : ''}`,
    );
  }
}

/** Throws a {@link DTypeError} unless every dtype equals the first one. */
export function assertSameDType(op: string, dtypes: readonly DType[]): void {
  const first = dtypes[0];
  for (const d of dtypes) {
    if (d !== first) throw new DTypeError(`${op}: expected inputs of one dtype, got ${dtypes.join(' and ')}`);
  }
}

/** Throws unless `index` is an int32 tensor. */
export function assertIndexDType(op: string, dtype: DType): void {
  if (dtype !== 'int32') throw new DTypeError(`${op}: expected an int32 index tensor, got ${dtype}`);
}

/**
 * Stores numbers computed in double precision into a new array of `dtype`: float32 rounds,
 * int32 truncates toward zero (wrapping), bool is `v !== 0` (NaN is true).
 */
export function fromNumbers(values: ArrayLike<number>, dtype: DType, out?: DataArray): DataArray {
  const n = values.length;
  let res: DataArray;
  switch (dtype) {
    case 'float32':
      res = out ?? new Float32Array(n);
      break;
    case 'float64':
      res = out ?? new Float64Array(n);
      break;
    case 'int32':
      res = out ?? new Int32Array(n);
      break;
    case 'bool': {
      const b = (out as Uint8Array | undefined) ?? new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = (values[i] as number) !== 0 ? 1 : 0;
      return b;
    }
  }
  for (let i = 0; i < n; i++) res[i] = values[i] as number;
  return res;
}

/** Whether two shapes have equal entries. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
