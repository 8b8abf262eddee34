import { Tensor } from './tensor.js';

/** What a `tidy` function may return: tensors, nested in arrays or plain objects, or anything else. */
export type TidyResult = unknown;

/** Every tensor reachable from a tidy result through arrays and plain objects. */
export function collectTensors(value: unknown, out: Tensor[] = [], seen = new Set<unknown>()): Tensor[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof Tensor) {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, out, seen);
  } else if (value instanceof Map) {
    for (const v of value.values()) collectTensors(v, out, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, out, seen);
  }
  return out;
}
