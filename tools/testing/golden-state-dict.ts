/**
 * Comparing an optimizer's state dict (PyTorch's layout, tensors as `{ shape, data }`, e.g. from
 * `toPyTorchStateDict(sd, { tensors: 'json' })` or `toPyTorchStateDictAsync`) with a golden one.
 */
import { PYTORCH_ONLY_GROUP_KEYS, type PyTorchStateDict } from '@backstep/optim';
import { flatData, withinTolerance, type GoldenTensor, type Tol } from './golden.js';

const sortedKeys = (o: object): string => JSON.stringify(Object.keys(o).sort());

/**
 * Compares a state-dict value (a number, string, boolean, null, list, or tensor `{ shape, data }`)
 * with the golden one, appending mismatches to `errors`. Numbers use the tolerance rule; with a
 * `noiseRef` (the same entry of PyTorch's float64 run, for float32 runs) each number may also
 * differ by 4 times the distance between PyTorch's own float32 and float64 values (the golden
 * files' convention: a float32 tolerance is 4 times PyTorch's float32 error), for entries that are
 * rounding noise in PyTorch itself.
 */
export function compareStateValue(actual: unknown, expected: unknown, tol: Tol, label: string, errors: string[], noiseRef?: unknown): void {
  if (expected === null) {
    if (actual !== null) errors.push(`${label}: expected null, got ${JSON.stringify(actual)}`);
  } else if (typeof expected === 'number') {
    if (typeof actual !== 'number') errors.push(`${label}: expected a number, got ${JSON.stringify(actual)}`);
    else {
      const noise = typeof noiseRef === 'number' ? 4 * Math.abs(expected - noiseRef) : 0;
      if (!withinTolerance(actual, expected, tol, noise)) {
        errors.push(`${label}: ${actual} vs ${expected} (diff ${Math.abs(actual - expected)})${noise ? ` (float64: ${String(noiseRef)})` : ''}`);
      }
    }
  } else if (typeof expected === 'boolean' || typeof expected === 'string') {
    if (actual !== expected) errors.push(`${label}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      errors.push(`${label}: expected a list of ${expected.length}, got ${Array.isArray(actual) ? `a list of ${actual.length}` : JSON.stringify(actual)}`);
    } else {
      const ref = Array.isArray(noiseRef) && noiseRef.length === expected.length ? noiseRef : [];
      expected.forEach((e, i) => compareStateValue(actual[i], e, tol, `${label}[${i}]`, errors, ref[i]));
    }
  } else {
    const e = expected as GoldenTensor;
    const a = actual as GoldenTensor | null;
    if (a === null || typeof a !== 'object' || !Array.isArray(a.shape)) errors.push(`${label}: expected a tensor, got ${JSON.stringify(actual)}`);
    else if (JSON.stringify(a.shape) !== JSON.stringify(e.shape)) errors.push(`${label}: shape [${a.shape}] != [${e.shape}]`);
    else {
      const av = flatData(a.data);
      const ev = flatData(e.data);
      const rv = noiseRef !== null && typeof noiseRef === 'object' && 'data' in noiseRef ? flatData((noiseRef as GoldenTensor).data) : [];
      if (av.length !== ev.length) errors.push(`${label}: ${av.length} elements != expected ${ev.length}`);
      else ev.forEach((x, i) => compareStateValue(av[i], x, tol, `${label}[${i}]`, errors, rv[i]));
    }
  }
}

/**
 * Compares a whole state dict with the golden one, appending mismatches to `errors`: the same
 * parameter ids and entry names, the state values with `tol` (and the float64 run's state dict
 * `noiseRef` as in {@link compareStateValue}), the same groups with the same hyperparameters
 * (exactly; PyTorch-only flags such as `foreach` are not expected).
 */
export function compareStateDict(sd: PyTorchStateDict, golden: PyTorchStateDict, tol: Tol, errors: string[], noiseRef?: PyTorchStateDict): void {
  if (sortedKeys(sd.state) !== sortedKeys(golden.state)) errors.push(`state ids ${sortedKeys(sd.state)} != ${sortedKeys(golden.state)}`);
  for (const [id, entry] of Object.entries(golden.state)) {
    const mine = sd.state[id] ?? {};
    if (sortedKeys(mine) !== sortedKeys(entry)) errors.push(`state ${id}: keys ${sortedKeys(mine)} != ${sortedKeys(entry)}`);
    const ref = noiseRef?.state[id];
    for (const [k, v] of Object.entries(entry)) compareStateValue(mine[k], v, tol, `state ${id}.${k}`, errors, ref?.[k]);
  }
  if (sd.param_groups.length !== golden.param_groups.length) errors.push(`${sd.param_groups.length} param groups != ${golden.param_groups.length}`);
  golden.param_groups.forEach((g, gi) => {
    const mine = sd.param_groups[gi] ?? { params: [] };
    const keys = Object.keys(g).filter((k) => !PYTORCH_ONLY_GROUP_KEYS.includes(k)).sort();
    if (sortedKeys(mine) !== JSON.stringify(keys)) errors.push(`param_groups[${gi}]: keys ${sortedKeys(mine)} != ${JSON.stringify(keys)}`);
    for (const k of keys) compareStateValue(mine[k], g[k], { rtol: 0, atol: 0 }, `param_groups[${gi}].${k}`, errors);
  });
}
