import { DTypeError, type Backend, type DType, type KernelAttrs, type KernelConfig, type KernelFunc, type KernelName } from '@backstep/tensor';
import { WebGpuBackend } from '../webgpu-backend.js';

/** The backend name every WebGPU kernel is registered under. */
export const WEBGPU = 'webgpu';

/** A WebGPU kernel registration for a primitive kernel, with its attrs typed from {@link KernelAttrs}. */
export function defineKernel<K extends KernelName>(kernelName: K, kernelFunc: KernelFunc<KernelAttrs[K]>): KernelConfig {
  return { kernelName, backendName: WEBGPU, kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** The WebGPU backend a kernel runs on; throws when a WebGPU kernel is handed another backend. */
export function gpuBackend(backend: Backend, op: string): WebGpuBackend {
  if (!(backend instanceof WebGpuBackend)) throw new TypeError(`${op}: the webgpu kernel was called with backend '${backend.name}'`);
  return backend;
}

/** Throws a {@link DTypeError} unless `dtype` is one of `allowed`. */
export function assertDTypeIn(op: string, dtype: DType, allowed: readonly DType[], hint = ''): void {
  if (!allowed.includes(dtype)) {
    throw new DTypeError(`${op}: not supported for dtype ${dtype} on the webgpu backend (expected ${allowed.join(', ')})${hint ? `; ${hint}` : ''}`);
  }
}

/** Throws a {@link DTypeError} unless every dtype equals the first one. */
export function assertSameDType(op: string, dtypes: readonly DType[]): void {
  for (const d of dtypes) if (d !== dtypes[0]) throw new DTypeError(`${op}: expected inputs of one dtype, got ${dtypes.join(' and ')}`);
}

/** Throws unless an index tensor is int32. */
export function assertIndexDType(op: string, dtype: DType): void {
  if (dtype !== 'int32') throw new DTypeError(`${op}: expected an int32 index tensor, got ${dtype}`);
}

/** The inputs a kernel expects, or a TypeError naming how many it got. */
export function expectInputs<T>(op: string, inputs: readonly T[], count: number): T[] {
  if (inputs.length < count || inputs.slice(0, count).some((x) => x === undefined)) {
    throw new TypeError(`${op}: expected ${count} input${count === 1 ? '' : 's'}, got ${inputs.length}`);
  }
  return inputs.slice(0, count) as T[];
}
