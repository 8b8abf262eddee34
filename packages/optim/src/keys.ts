/**
 * Key conversion between Backstep's camelCase and PyTorch's snake_case names
 * (`weightDecay` <-> `weight_decay`, `maxExpAvgSq` <-> `max_exp_avg_sq`, `HDiag` <-> `H_diag`).
 */

/** `exp_avg_sq` -> `expAvgSq`; `H_diag` -> `HDiag`; names without `_` are unchanged. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `expAvgSq` -> `exp_avg_sq`; the first character keeps its case (`HDiag` -> `H_diag`). */
export function camelToSnake(key: string): string {
  if (key.length === 0) return key;
  return key[0] + key.slice(1).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
