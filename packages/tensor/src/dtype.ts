/** The element types a tensor can hold. `float32` is the default. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Every supported dtype, in promotion order (lowest first). */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** The typed array that stores a dtype's elements on the host. */
export type TypedArrayFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : D extends 'int32'
      ? Int32Array
      : Uint8Array;

/** Any host typed array a tensor's elements can be read into. */
export type DataArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Bytes per element. */
export function itemSize(dtype: DType): number {
  switch (dtype) {
    case 'float64':
      return 8;
    case 'float32':
    case 'int32':
      return 4;
    case 'bool':
      return 1;
  }
}

/** Throws a clear error when `dtype` is not one of {@link DTYPES}. */
export function assertDType(dtype: unknown, where = 'dtype'): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new TypeError(`${where}: unknown dtype '${String(dtype)}' (expected one of ${DTYPES.join(', ')})`);
  }
}

/** Allocates a zero-filled host array for `size` elements of `dtype`. */
export function allocArray(dtype: DType, size: number): DataArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** Copies `values` into a new host array of `dtype` (bools become 0/1, ints truncate toward zero). */
export function toArrayOf(dtype: DType, values: ArrayLike<number>): DataArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  } else if (dtype === 'int32') {
    for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i] as number);
  } else {
    (out as Float32Array | Float64Array).set(values);
  }
  return out;
}

/** Whether the dtype is a floating-point type. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** The smallest dtype both `a` and `b` convert to without loss of kind (bool < int32 < float32 < float64). */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

type Category = 0 | 1 | 2; // bool, integer, floating
function category(d: DType): Category {
  return d === 'bool' ? 0 : d === 'int32' ? 1 : 2;
}

/**
 * The result dtype of a binary op, following PyTorch's rule: operands with dimensions decide,
 * a 0-d tensor or a JS number only raises the result when it is of a higher category
 * (e.g. `int32 tensor * 0.5` is float32, `float32 tensor + float64 0-d` stays float32).
 * `scalar` marks operands that are 0-d tensors or JS numbers.
 */
export function resultType(a: DType, aScalar: boolean, b: DType, bScalar: boolean): DType {
  if (aScalar === bScalar) return promoteTypes(a, b);
  const [dim, sc] = aScalar ? [b, a] : [a, b];
  if (category(sc) > category(dim)) {
    return category(sc) === 2 ? 'float32' : 'int32';
  }
  return dim;
}
