/** Shapes that do not fit together (broadcasting, matmul, reshape, concatenation, ...). */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** A dtype that the operation does not accept, or two dtypes that do not match. */
export class DTypeError extends TypeError {
  override name = 'DTypeError';
}

/** Use of a tensor after `dispose()`. */
export class DisposedError extends Error {
  override name = 'DisposedError';
}

/** A kernel that no backend registered, or a backend that is not registered. */
export class KernelNotFoundError extends Error {
  override name = 'KernelNotFoundError';
}
