/**
 * Every scheduler case of the golden folder (PyTorch 1.13.1, float64): lr per group after each
 * step (k = 0 right after construction), momentum / betas[0] where recorded, and the final state
 * dict converted to PyTorch's layout. The real SGD / Adam of @backstep/optim are driven.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareValues, type Tol } from '../../../tools/testing/golden.js';
import { setSchedulerWarn, toPyTorchSchedulerStateDict, type WarnFunction } from '../src/index.js';
import { loadCase, run, SCHED_FILES, setup, snapshot, type SchedCase, type Snapshot } from './helpers.js';
import { SCHEDULERS } from './schedulers.table.js';

const warnings: string[] = [];
let previous: WarnFunction;
beforeAll(() => {
  previous = setSchedulerWarn((m) => warnings.push(m));
});
afterAll(() => {
  setSchedulerWarn(previous);
});

/** Mismatches of one recorded series (lr, momentum or beta1) against the snapshots. */
function compareSeries(c: SchedCase, snaps: Snapshot[], field: 'lr' | 'momentum' | 'beta1', errors: string[]): void {
  const expected = c.float64[field];
  if (expected === undefined) return;
  if (expected.length !== snaps.length) errors.push(`${field}: ${snaps.length} steps recorded, golden has ${expected.length}`);
  expected.forEach((row, k) => {
    const actual = snaps[k]?.[field] ?? [];
    if (actual.some((v) => typeof v !== 'number')) errors.push(`${field}[${k}]: missing values ${JSON.stringify(actual)}`);
    const m = compareValues(actual as number[], row, c.tolerance.float64, `${field}[${k}]`);
    if (m) errors.push(m);
  });
}

/** Compares a converted state dict with PyTorch's (numbers within tolerance, same keys). */
function compareState(actual: unknown, expected: unknown, tol: Tol, path: string, errors: string[]): void {
  if (typeof expected === 'string' && ['Infinity', '-Infinity', 'NaN'].includes(expected)) expected = Number(expected);
  if (typeof expected === 'number') {
    const m = typeof actual === 'number' ? compareValues([actual], [expected], tol, path) : `${path}: ${JSON.stringify(actual)} != ${expected}`;
    if (m) errors.push(m);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) errors.push(`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
    else expected.forEach((e, i) => compareState(actual[i], e, tol, `${path}[${i}]`, errors));
  } else if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      errors.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
      return;
    }
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    for (const k of keys) {
      if (!(k in e)) errors.push(`${path}.${k}: not in PyTorch's state dict`);
      else if (!(k in a)) errors.push(`${path}.${k}: missing`);
      else compareState(a[k], e[k], tol, `${path}.${k}`, errors);
    }
  } else if (actual !== expected) {
    errors.push(`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  }
}

const cases = SCHED_FILES.map(loadCase);

describe('golden scheduler cases (PyTorch 1.13.1, float64)', () => {
  it('covers all 39 scheduler files and every scheduler type of the table', () => {
    expect(cases.length).toBe(39);
    const types = new Set<string>();
    const collect = (s: { type: string; schedulers?: unknown }): void => {
      types.add(s.type);
      if (Array.isArray(s.schedulers)) for (const c of s.schedulers) collect(c as { type: string });
    };
    for (const c of cases) collect(c.scheduler);
    expect([...types].sort()).toEqual(Object.keys(SCHEDULERS).sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { opt, sched } = setup(c);
    const snaps = [snapshot(opt), ...run(c, opt, sched, 0, c.steps)];
    const errors: string[] = [];
    compareSeries(c, snaps, 'lr', errors);
    compareSeries(c, snaps, 'momentum', errors);
    compareSeries(c, snaps, 'beta1', errors);
    expect(sched.getLastLr()).toEqual(snaps[snaps.length - 1]!.lr);
    compareState(toPyTorchSchedulerStateDict(sched.stateDict()), c.finalStateDict, c.tolerance.float64, 'finalStateDict', errors);
    expect(errors).toEqual([]);
  });

  it('never warned about the call order (optimizer.step() always came first)', () => {
    expect(warnings).toEqual([]);
  });
});
