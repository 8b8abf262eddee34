/**
 * Conversion between Backstep scheduler state dicts and PyTorch's `scheduler.state_dict()`
 * layout (snake_case keys, `_last_lr`, `T_max`, `_schedulers`, ...), e.g. to resume from a
 * PyTorch checkpoint converted to JSON. Functions are never part of either layout.
 */
import { copyPlain } from './state.js';
import type { SchedulerStateDict } from './types.js';

/** Backstep field → PyTorch key, where the plain camel → snake rule does not give it. */
const SPECIAL: Record<string, string> = {
  stepCount: '_step_count',
  lastLr: '_last_lr',
  tMax: 'T_max',
  t0: 'T_0',
  tI: 'T_i',
  tMult: 'T_mult',
  tCur: 'T_cur',
  schedulePhases: '_schedule_phases',
  useBeta1: 'use_beta1',
  schedulers: '_schedulers',
};
const SPECIAL_BACK = Object.fromEntries(Object.entries(SPECIAL).map(([k, v]) => [v, k]));
/** OneCycleLR phase values: group keys. */
const GROUP_KEYS: Record<string, string> = {
  initialLr: 'initial_lr',
  maxLr: 'max_lr',
  minLr: 'min_lr',
  maxMomentum: 'max_momentum',
  baseMomentum: 'base_momentum',
};
const GROUP_KEYS_BACK = Object.fromEntries(Object.entries(GROUP_KEYS).map(([k, v]) => [v, k]));
/** PyTorch keys that hold functions or printing flags: dropped when converting from PyTorch. */
const TORCH_ONLY = new Set(['verbose', '_get_lr_called_within_step', '_scale_fn_custom', '_scale_fn_ref', 'anneal_func']);
/** Types whose PyTorch state has no `verbose` / `_get_lr_called_within_step` entries. */
const WRAPPERS = new Set(['SequentialLR', 'ChainedScheduler']);

const camelToSnake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeToCamel = (k: string): string => k.replace(/^_+/, '').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function torchKey(type: string, key: string): string {
  if (type === 'SequentialLR' && key === 'milestones') return '_milestones';
  return SPECIAL[key] ?? camelToSnake(key);
}

function backstepKey(key: string): string {
  if (key === '_milestones') return 'milestones';
  return SPECIAL_BACK[key] ?? snakeToCamel(key);
}

function mapPhases(v: unknown, keyMap: (k: string) => string, valueMap: Record<string, string>): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((p: unknown) => {
    if (p === null || typeof p !== 'object') return p;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(p)) out[keyMap(k)] = typeof x === 'string' ? (valueMap[x] ?? x) : x;
    return out;
  });
}

/**
 * Converts a Backstep scheduler state dict to PyTorch 1.13's layout: snake_case keys
 * (`last_epoch`, `_last_lr`, `T_max`, `_schedulers`, ...), `verbose: false`, and PyTorch's
 * placeholders for functions (`lr_lambdas: [null, ...]`, `_scale_fn_custom: null`). Fields that
 * PyTorch keeps as functions (OneCycleLR's `annealStrategy`) are left out.
 */
export function toPyTorchSchedulerStateDict(sd: SchedulerStateDict): Record<string, unknown> {
  const type = sd.type;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sd)) {
    if (k === 'version' || k === 'type' || (type === 'OneCycleLR' && k === 'annealStrategy')) continue;
    let value: unknown = copyPlain(v);
    if (k === 'schedulers' && Array.isArray(v)) value = v.map((c) => toPyTorchSchedulerStateDict(c as SchedulerStateDict));
    if (k === 'schedulePhases') value = mapPhases(v, camelToSnake, GROUP_KEYS);
    out[torchKey(type, k)] = value;
  }
  if (!WRAPPERS.has(type)) out['verbose'] = false;
  if (!WRAPPERS.has(type) && type !== 'ReduceLROnPlateau') out['_get_lr_called_within_step'] = false;
  if (type === 'CyclicLR') out['_scale_fn_custom'] = null;
  return out;
}

/** What {@link fromPyTorchSchedulerStateDict} needs to know about the target scheduler. */
export interface SchedulerLike {
  /** The scheduler class name. */
  readonly type: string;
  /** The current state (supplies fields PyTorch does not save, e.g. OneCycleLR's `annealStrategy`). */
  stateDict(): SchedulerStateDict;
  /** Children of `SequentialLR` / `ChainedScheduler`. */
  readonly schedulers?: readonly SchedulerLike[];
}

/**
 * Converts a PyTorch scheduler state dict (JSON-decoded; `"Infinity"` strings are accepted for
 * ReduceLROnPlateau's `best` / `mode_worse`) into a state dict for `target`, the Backstep
 * scheduler it will be loaded into (its type and children give the layout; fields PyTorch stores
 * as functions keep the target's values). Load the result with `target.loadStateDict(...)`.
 */
export function fromPyTorchSchedulerStateDict(torchSd: Record<string, unknown>, target: SchedulerLike): SchedulerStateDict {
  if (torchSd === null || typeof torchSd !== 'object') throw new TypeError(`fromPyTorchSchedulerStateDict: expected an object, got ${String(torchSd)}`);
  const current = target.stateDict();
  const out: SchedulerStateDict = { version: 1, type: target.type };
  for (const [k, v] of Object.entries(torchSd)) {
    if (TORCH_ONLY.has(k)) continue;
    const key = backstepKey(k);
    let value: unknown = copyPlain(v);
    if (typeof value === 'string' && ['Infinity', '-Infinity', 'NaN'].includes(value) && (key === 'best' || key === 'modeWorse')) value = Number(value);
    if (key === 'schedulePhases') value = mapPhases(v, snakeToCamel, GROUP_KEYS_BACK);
    if (key === 'schedulers') {
      const children = target.schedulers ?? [];
      if (!Array.isArray(v) || v.length !== children.length) {
        throw new Error(`fromPyTorchSchedulerStateDict: '${k}' must hold ${children.length} child state dicts`);
      }
      value = v.map((c, i) => fromPyTorchSchedulerStateDict(c as Record<string, unknown>, children[i]!));
    }
    out[key] = value;
  }
  // Fields PyTorch keeps as functions or may not have yet: take the target's.
  for (const k of ['annealStrategy', 'lastLr']) if (k in current && !(k in out)) out[k] = current[k];
  return out;
}
