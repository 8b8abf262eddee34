/** Normalises a possibly negative index into [0, length); throws a RangeError naming the container. */
export function normalizeIndex(index: number, length: number, what: string): number {
  if (!Number.isInteger(index)) throw new TypeError(`${what} indices must be integers, got ${index}`);
  const i = index < 0 ? index + length : index;
  if (i < 0 || i >= length) throw new RangeError(`index ${index} is out of range for ${what} of length ${length}`);
  return i;
}
