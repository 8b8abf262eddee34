/**
 * Hyperparameter checks shared by the optimizers. Messages follow PyTorch's
 * (`Invalid learning rate: -1`), with camelCase option names where PyTorch's are snake_case.
 */

function fmt(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Throws `RangeError(message: value)` unless `value` is a number and `ok(value)` holds (NaN never passes). */
export function check(value: unknown, ok: (v: number) => boolean, message: string): void {
  if (typeof value !== 'number' || Number.isNaN(value) || !ok(value)) throw new RangeError(`${message}: ${fmt(value)}`);
}

/** `lr >= 0` (or a clear error when missing). */
export function checkLr(group: Record<string, unknown>): void {
  if (group['lr'] === undefined) {
    throw new RangeError("parameter group didn't specify a value of required optimization parameter lr");
  }
  check(group['lr'], (v) => v >= 0, 'Invalid learning rate');
}

/** `key >= 0`, reported as `Invalid <label> value: x`. */
export function checkNonNegative(group: Record<string, unknown>, key: string, label = key): void {
  check(group[key], (v) => v >= 0, `Invalid ${label} value`);
}

/** `eps >= 0`. */
export function checkEps(group: Record<string, unknown>): void {
  check(group['eps'], (v) => v >= 0, 'Invalid epsilon value');
}

/** `betas` is a pair with `0 <= beta < 1` each. */
export function checkBetas(group: Record<string, unknown>): void {
  const betas = group['betas'];
  if (!Array.isArray(betas) || betas.length !== 2) throw new RangeError(`Invalid betas: expected a pair [beta1, beta2], got ${fmt(betas)}`);
  betas.forEach((b, i) => check(b, (v) => v >= 0 && v < 1, `Invalid beta parameter at index ${i}`));
}

/** `key` is a boolean. */
export function checkBool(group: Record<string, unknown>, key: string): void {
  if (typeof group[key] !== 'boolean') throw new TypeError(`Invalid ${key} value: expected a boolean, got ${fmt(group[key])}`);
}

/** `key` is a finite or infinite number (not NaN). */
export function checkNumber(group: Record<string, unknown>, key: string): void {
  check(group[key], () => true, `Invalid ${key} value`);
}

/** `key` is a pair of numbers. */
export function checkPair(group: Record<string, unknown>, key: string): [number, number] {
  const v = group[key];
  if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== 'number' || Number.isNaN(x))) {
    throw new RangeError(`Invalid ${key}: expected a pair of numbers, got ${fmt(v)}`);
  }
  return [v[0] as number, v[1] as number];
}
