import { fmtShape, Tensor } from '@backstep/tensor';
import type { OptimizerStateDict, Param, ParamGroup, ParamState, StateEntryKind, StateSchema, StateValue } from './types.js';

/**
 * A copy of a state value that can never alias live state: tensors are snapshots sharing the
 * buffer copy-on-write (`Tensor.share()`, O(1)); Backstep buffers are never changed in place
 * without `ensureExclusive()` first, so the copy keeps its values.
 */
export function cloneStateValue(v: StateValue, keepTensors = false): StateValue {
  if (v instanceof Tensor) {
    const t = v.share();
    return keepTensors ? v.engine.keep(t) : t;
  }
  if (Array.isArray(v)) return v.map((x: StateValue) => cloneStateValue(x, keepTensors));
  return v;
}

/** Disposes every tensor inside a state value. */
export function disposeStateValue(v: StateValue): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) for (const x of v) disposeStateValue(x as StateValue);
}

/** Copies a group's hyperparameters (arrays copied, `params` left out). */
export function copyHyper(group: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(group)) {
    if (k === 'params') continue;
    out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}

/** Builds a state dict (deep copy) from groups and per-parameter state. */
export function buildStateDict(groups: readonly ParamGroup<object>[], state: ReadonlyMap<Param, ParamState>): OptimizerStateDict {
  const sd: OptimizerStateDict = { version: 1, state: {}, paramGroups: [] };
  let index = 0;
  for (const g of groups) {
    const indices: number[] = [];
    for (const p of g.params) {
      const s = state.get(p);
      if (s !== undefined && Object.keys(s).length > 0) {
        const copy: ParamState = {};
        for (const [k, v] of Object.entries(s)) copy[k] = cloneStateValue(v);
        sd.state[index] = copy;
      }
      indices.push(index++);
    }
    sd.paramGroups.push({ ...copyHyper(g as Record<string, unknown>), params: indices });
  }
  return sd;
}

/** What a validated `loadStateDict` will install. */
export interface LoadPlan {
  /** The merged hyperparameters of each group (params excluded). */
  hyper: Record<string, unknown>[];
  /** The per-parameter state to install (values not yet copied). */
  state: Map<Param, ParamState>;
}

function fail(msg: string): never {
  throw new Error(`loadStateDict: ${msg}`);
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a ${v.dtype} tensor of shape ${fmtShape(v.shape)}`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

function checkTensor(v: unknown, p: Param, where: string, sameShape: boolean): void {
  if (!(v instanceof Tensor)) fail(`${where} must be a tensor, got ${describe(v)}`);
  if (v.isDisposed) fail(`${where} is a disposed tensor`);
  if (v.dtype !== p.dtype) fail(`${where} has dtype ${v.dtype} but the parameter has dtype ${p.dtype}`);
  if (sameShape && (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i]))) {
    fail(`${where} has shape ${fmtShape(v.shape)} but the parameter has shape ${fmtShape(p.shape)}`);
  }
  if (v.backendName !== p.backendName) fail(`${where} is on backend '${v.backendName}' but the parameter is on '${p.backendName}'`);
}

function checkAny(v: unknown, p: Param, where: string): void {
  if (v instanceof Tensor) checkTensor(v, p, where, false);
  else if (Array.isArray(v)) v.forEach((x, i) => checkAny(x, p, `${where}[${i}]`));
  else if (v !== null && !['number', 'boolean', 'string'].includes(typeof v)) fail(`${where} has an unsupported value (${describe(v)})`);
}

function checkEntry(kind: StateEntryKind, v: unknown, p: Param, where: string): void {
  switch (kind) {
    case 'param':
      return checkTensor(v, p, where, true);
    case 'paramOrNull':
      return v === null ? undefined : checkTensor(v, p, where, true);
    case 'tensor':
      return checkTensor(v, p, where, false);
    case 'scalar':
      if (typeof v !== 'number') fail(`${where} must be a number, got ${describe(v)}`);
      return;
    case 'any':
      return checkAny(v, p, where);
  }
}

/**
 * Validates a state dict against the optimizer's groups without changing anything and returns
 * what to install. `schemaFor` gives the state entries expected for a param of a (merged) group
 * (null: only dtypes are checked); `validateGroup` checks merged hyperparameters.
 */
export function planLoad(
  sd: unknown,
  groups: readonly ParamGroup<object>[],
  schemaFor: (group: Record<string, unknown>) => StateSchema | null,
  validateGroup: (group: Record<string, unknown>) => void,
  strict: boolean,
): LoadPlan {
  if (sd === null || typeof sd !== 'object') fail(`expected a state dict object, got ${describe(sd)}`);
  const d = sd as Partial<OptimizerStateDict> & Record<string, unknown>;
  if ('param_groups' in d && !('paramGroups' in d)) fail('this looks like a PyTorch state dict (param_groups); convert it with fromPyTorchStateDict first');
  if (d.version !== 1) fail(`unsupported state dict version ${String(d.version)} (expected 1)`);
  if (!Array.isArray(d.paramGroups)) fail("missing 'paramGroups' list");
  if (d.state === null || typeof d.state !== 'object' || Array.isArray(d.state)) fail("missing 'state' object");
  const saved = d.paramGroups;
  if (saved.length !== groups.length) {
    fail(`loaded state dict has a different number of parameter groups (${saved.length}) than the optimizer (${groups.length})`);
  }
  const idMap = new Map<number, Param>();
  const groupOf = new Map<Param, Record<string, unknown>>();
  const hyper: Record<string, unknown>[] = [];
  saved.forEach((sg, gi) => {
    if (sg === null || typeof sg !== 'object' || !Array.isArray(sg.params)) fail(`parameter group ${gi} has no 'params' list`);
    const live = groups[gi]!;
    if (sg.params.length !== live.params.length) {
      fail(`loaded state dict contains a parameter group (${gi}) of size ${sg.params.length} that doesn't match the size of optimizer's group (${live.params.length})`);
    }
    const merged = { ...copyHyper(live as Record<string, unknown>), ...copyHyper(sg) };
    try {
      validateGroup(merged);
    } catch (e) {
      fail(`parameter group ${gi}: ${(e as Error).message}`);
    }
    hyper.push(merged);
    sg.params.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0) fail(`parameter group ${gi} has an invalid parameter index ${String(id)}`);
      if (idMap.has(id)) fail(`parameter index ${id} appears more than once in the parameter groups`);
      const p = live.params[i]!;
      idMap.set(id, p);
      groupOf.set(p, merged);
    });
  });
  const state = new Map<Param, ParamState>();
  for (const [key, entry] of Object.entries(d.state as Record<string, unknown>)) {
    const id = Number(key);
    const p = idMap.get(id);
    if (!Number.isInteger(id) || p === undefined) fail(`state refers to parameter ${key}, which is in no parameter group`);
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail(`state of parameter ${key} must be an object, got ${describe(entry)}`);
    const e = entry as Record<string, unknown>;
    if (Object.keys(e).length === 0) continue;
    const schema = schemaFor(groupOf.get(p)!);
    if (schema !== null) {
      for (const [name, kind] of Object.entries(schema)) {
        if (kind !== 'any' && !(name in e)) fail(`state of parameter ${key} is missing '${name}'`);
      }
    }
    for (const [name, v] of Object.entries(e)) {
      const where = `state '${name}' of parameter ${key}`;
      const kind = schema?.[name];
      if (kind === undefined) {
        if (schema !== null && strict) {
          fail(`unexpected ${where} (expected ${Object.keys(schema).join(', ') || 'no state'}; pass { strict: false } to keep it)`);
        }
        checkAny(v, p, where);
      } else checkEntry(kind, v, p, where);
    }
    state.set(p, e as ParamState);
  }
  return { hyper, state };
}
