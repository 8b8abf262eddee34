import { DTypeError, type DataArray, type DType } from '@backstep/tensor';

/** The dtypes the WebGPU backend stores: WGSL has no 64-bit floats. */
export const WEBGPU_DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** Throws a clear {@link DTypeError} for dtypes WebGPU cannot hold (float64). */
export function assertWebGpuDType(dtype: DType, what = 'webgpu backend'): void {
  if (!WEBGPU_DTYPES.includes(dtype)) {
    throw new DTypeError(
      `${what}: dtype ${dtype} is not supported on the webgpu backend (WGSL has no 64-bit floats; ` +
        `supported: ${WEBGPU_DTYPES.join(', ')}). Convert with tensor.to('float32') first.`,
    );
  }
}

/**
 * The 32-bit words to upload for `values` of `dtype`: float32 as is, int32 truncated toward zero
 * (wrapping), bool as u32 0/1 (nonzero and NaN are true). Every element takes 4 bytes on the GPU.
 */
export function toDeviceWords(values: DataArray, dtype: DType): Float32Array | Int32Array | Uint32Array {
  switch (dtype) {
    case 'float32':
      return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    case 'int32': {
      if (values instanceof Int32Array) return values;
      const out = new Int32Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i] as number);
      return out;
    }
    case 'bool': {
      const out = new Uint32Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = (values[i] as number) !== 0 ? 1 : 0;
      return out;
    }
    default:
      assertWebGpuDType(dtype);
      throw new DTypeError(`webgpu backend: unsupported dtype ${String(dtype)}`);
  }
}

/** Converts words read back from the GPU into the host array type of `dtype` (a copy). */
export function fromDeviceWords(bytes: ArrayBuffer, count: number, dtype: DType): DataArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes, 0, count).slice();
    case 'int32':
      return new Int32Array(bytes, 0, count).slice();
    case 'bool': {
      const words = new Uint32Array(bytes, 0, count);
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = words[i] !== 0 ? 1 : 0;
      return out;
    }
    default:
      assertWebGpuDType(dtype);
      throw new DTypeError(`webgpu backend: unsupported dtype ${String(dtype)}`);
  }
}
