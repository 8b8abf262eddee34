import { fmtShape, Tensor } from '@backstep/tensor';
import type { OptimizerStateDict, ParamState, StateSchema, StateValue } from './types.js';

/**
 * LBFGS's state (kept on the first parameter, as PyTorch does): its entries, its schema, and the
 * checks and conversions `loadStateDict` applies to a state dict's LBFGS entry.
 */

/** The LBFGS state, as the algorithm sees it. */
export interface LbfgsState {
  funcEvals?: number;
  nIter?: number;
  d?: Tensor | null;
  t?: number | null;
  oldDirs?: Tensor[];
  oldStps?: Tensor[];
  ro?: number[];
  HDiag?: number | null;
  prevFlatGrad?: Tensor | null;
  prevLoss?: number | null;
  al?: Array<number | null>;
}

/** The state entries `loadStateDict` accepts (in PyTorch's key order). */
export const LBFGS_STATE_SCHEMA: StateSchema = {
  funcEvals: 'scalar',
  nIter: 'scalar',
  d: 'any',
  t: 'any',
  oldDirs: 'any',
  oldStps: 'any',
  ro: 'any',
  HDiag: 'any',
  prevFlatGrad: 'any',
  prevLoss: 'any',
  al: 'any',
};

function fail(msg: string): never {
  throw new Error(`loadStateDict: ${msg}`);
}

/** Every tensor inside a state object (lists included). */
export function collectTensors(state: ParamState): Set<Tensor> {
  const out = new Set<Tensor>();
  const walk = (v: StateValue | undefined): void => {
    if (v instanceof Tensor) out.add(v);
    else if (Array.isArray(v)) for (const x of v) walk(x as StateValue);
  };
  for (const v of Object.values(state)) walk(v);
  return out;
}

/**
 * Replaces the contents of `state` with `next` and disposes the tensors the old state held that
 * `next` does not. Returns the tensors `next` holds.
 */
export function replaceState(state: ParamState, next: LbfgsState): Set<Tensor> {
  const before = collectTensors(state);
  const after = collectTensors(next as ParamState);
  for (const k of Object.keys(state)) delete state[k];
  Object.assign(state, next);
  for (const x of before) if (!after.has(x)) x.dispose();
  return after;
}

/**
 * A state dict's LBFGS entries prepared for the base class's `loadStateDict`: the number lists
 * `ro` / `al` may arrive as 1-D tensors (what `fromPyTorchStateDict` makes of them) and are turned
 * back into numbers; the entry must be on parameter 0 and pass {@link checkLbfgsEntry}. Anything
 * the base class checks (the dict's shape, dtypes, backends) is passed through unchanged.
 */
export function normalizeLbfgsStateDict(sd: OptimizerStateDict, numel: number): OptimizerStateDict {
  if (sd === null || typeof sd !== 'object' || sd.state === null || typeof sd.state !== 'object' || Array.isArray(sd.state)) return sd;
  const state: OptimizerStateDict['state'] = {};
  for (const [id, entry] of Object.entries(sd.state)) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || Object.keys(entry).length === 0) {
      state[Number(id)] = entry;
      continue;
    }
    if (Number(id) !== 0) fail(`LBFGS keeps its state on parameter 0, but the dict has state for parameter ${id}`);
    const e: ParamState = { ...entry };
    for (const k of ['ro', 'al']) {
      const v = e[k];
      if (v instanceof Tensor) {
        if (v.ndim !== 1) fail(`state '${k}' must be a list of numbers, got a tensor of shape ${fmtShape(v.shape)}`);
        e[k] = v.tolist() as number[];
      }
    }
    checkLbfgsEntry(e, numel);
    state[Number(id)] = e;
  }
  return { ...sd, state };
}

/** Shape/structure checks of an LBFGS state entry (dtypes and backends are checked by the base). */
export function checkLbfgsEntry(e: ParamState, numel: number): void {
  const vec = (v: unknown, where: string, nullable: boolean): void => {
    if (v === null && nullable) return;
    if (!(v instanceof Tensor)) fail(`state '${where}' must be a tensor${nullable ? ' or null' : ''}`);
    if (v.ndim !== 1 || v.shape[0] !== numel) {
      fail(`state '${where}' has shape ${fmtShape(v.shape)} but LBFGS's flat vectors have shape [${numel}] (the parameters' total size)`);
    }
  };
  const num = (v: unknown, where: string): void => {
    if (v !== null && typeof v !== 'number') fail(`state '${where}' must be a number or null`);
  };
  if ('d' in e) vec(e['d'], 'd', true);
  if ('prevFlatGrad' in e) vec(e['prevFlatGrad'], 'prevFlatGrad', true);
  for (const k of ['t', 'HDiag', 'prevLoss']) if (k in e) num(e[k], k);
  const lists: Record<string, number> = {};
  for (const k of ['oldDirs', 'oldStps', 'ro']) {
    if (!(k in e)) continue;
    const v = e[k];
    if (!Array.isArray(v)) fail(`state '${k}' must be a list`);
    lists[k] = v.length;
    if (k === 'ro') v.forEach((x, i) => typeof x !== 'number' && fail(`state 'ro[${i}]' must be a number`));
    else v.forEach((x, i) => vec(x, `${k}[${i}]`, false));
  }
  const lens = Object.entries(lists);
  if (lens.length > 0 && (lens.length !== 3 || new Set(lens.map(([, l]) => l)).size !== 1)) {
    fail(`state 'oldDirs', 'oldStps' and 'ro' must be lists of the same length, got ${lens.map(([k, l]) => `${k}: ${l}`).join(', ')}`);
  }
  if ('al' in e) {
    const v = e['al'];
    if (!Array.isArray(v)) fail("state 'al' must be a list");
    v.forEach((x, i) => x !== null && typeof x !== 'number' && fail(`state 'al[${i}]' must be a number or null`));
  }
}
