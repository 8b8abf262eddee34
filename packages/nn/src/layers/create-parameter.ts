import { DTypeError, isFloat, zeros, type DType } from '@backstep/tensor';
import { Parameter } from '../parameter.js';

/** Options every layer with parameters accepts. */
export interface FactoryOptions {
  /** Parameter dtype (a float dtype; default float32). */
  dtype?: DType;
  /** Backend to create the parameters on (default: the engine's current backend). */
  backend?: string;
}

/** A new zero-filled `Parameter` of `shape` (layers initialise it afterwards). */
export function createParameter(shape: readonly number[], options: FactoryOptions = {}): Parameter {
  const dtype = options.dtype ?? 'float32';
  if (!isFloat(dtype)) throw new DTypeError(`layer parameters must have a floating point dtype, got ${dtype}`);
  const t = zeros(shape, { dtype, ...(options.backend !== undefined ? { backend: options.backend } : {}) });
  const p = new Parameter(t);
  t.dispose();
  return p;
}

/** Throws unless `v` is a non-negative integer (`name` of `layer` in the message). */
export function checkCount(v: unknown, name: string, layer: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${layer}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}
