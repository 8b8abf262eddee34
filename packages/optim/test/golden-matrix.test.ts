/**
 * Every optimizer trajectory of the golden folder (except lbfgs_*, tested with LBFGS), in float32
 * and float64, on an engine WITH the fused CPU kernels and on one WITHOUT them (composed ops):
 * params after every step and the final state dict (PyTorch layout) against PyTorch 1.13.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '@backstep/tensor';
import { PYTORCH_ONLY_GROUP_KEYS, toPyTorchStateDict } from '../src/index.js';
import { closeMsg, flat, goldenNames, loadGolden, makeEngine, mk, vals, type Tol, type TrajectoryCase } from './helpers.js';
import { OPTIMIZERS, type OptimizerDescriptor } from './optimizers.table.js';

const engines: Record<'fused' | 'composed', Engine> = { fused: makeEngine(true), composed: makeEngine(false) };

function compareValue(actual: unknown, expected: unknown, tol: Tol, label: string, errors: string[]): void {
  if (expected === null) {
    if (actual !== null) errors.push(`${label}: expected null, got ${JSON.stringify(actual)}`);
  } else if (typeof expected === 'number') {
    if (typeof actual !== 'number') errors.push(`${label}: expected a number, got ${JSON.stringify(actual)}`);
    else {
      const m = closeMsg([actual], [expected], tol, label);
      if (m) errors.push(m);
    }
  } else if (typeof expected === 'boolean' || typeof expected === 'string') {
    if (actual !== expected) errors.push(`${label}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) errors.push(`${label}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
    else expected.forEach((e, i) => compareValue(actual[i], e, tol, `${label}[${i}]`, errors));
  } else {
    const e = expected as { shape: number[]; data: unknown };
    const a = actual as { shape: number[]; data: unknown } | null;
    if (a === null || typeof a !== 'object' || !Array.isArray(a.shape)) errors.push(`${label}: expected a tensor, got ${JSON.stringify(actual)}`);
    else if (JSON.stringify(a.shape) !== JSON.stringify(e.shape)) errors.push(`${label}: shape [${a.shape}] != [${e.shape}]`);
    else {
      const m = closeMsg(flat(a.data), flat(e.data), tol, label);
      if (m) errors.push(m);
    }
  }
}

/** Runs one golden case; returns the list of mismatches (empty = pass). */
export function runCase(d: OptimizerDescriptor, c: TrajectoryCase, dtype: 'float32' | 'float64', engine: Engine): string[] {
  const run = c[dtype];
  const tol = c.tolerance[dtype];
  const params = c.initialParams.map((data, i) => mk(engine, data, c.paramShapes[i]!, dtype, true));
  const groups = c.paramGroups.map((g) => ({ ...g, params: g.params.map((i) => params[i]!) }));
  const opt = d.create(groups as never, c.options);
  const errors: string[] = [];
  for (let s = 0; s < c.steps; s++) {
    params.forEach((p, i) => {
      p.grad = mk(engine, run.grads[s]![i], c.paramShapes[i]!, dtype);
    });
    opt.step();
    params.forEach((p, i) => {
      const m = closeMsg(vals(p), flat(run.params[s]![i]), tol, `step ${s} param ${i}`);
      if (m) errors.push(m);
    });
    opt.zeroGrad();
    if (errors.length) return errors;
  }
  const sd = toPyTorchStateDict(opt.stateDict(), { tensors: 'json' });
  const golden = run.stateDict;
  expect(Object.keys(sd.state).sort()).toEqual(Object.keys(golden.state).sort());
  for (const [id, entry] of Object.entries(golden.state)) {
    const mine = sd.state[id]!;
    if (JSON.stringify(Object.keys(mine).sort()) !== JSON.stringify(Object.keys(entry).sort())) {
      errors.push(`state ${id}: keys ${Object.keys(mine).sort()} != ${Object.keys(entry).sort()}`);
    }
    for (const [k, v] of Object.entries(entry)) compareValue(mine[k], v, tol, `state ${id}.${k}`, errors);
  }
  expect(sd.param_groups.length).toBe(golden.param_groups.length);
  golden.param_groups.forEach((g, gi) => {
    const mine = sd.param_groups[gi]!;
    const keys = Object.keys(g).filter((k) => !PYTORCH_ONLY_GROUP_KEYS.includes(k)).sort();
    if (JSON.stringify(Object.keys(mine).sort()) !== JSON.stringify(keys)) {
      errors.push(`param_groups[${gi}]: keys ${Object.keys(mine).sort()} != ${keys}`);
    }
    for (const k of keys) compareValue(mine[k], g[k], { rtol: 0, atol: 0 }, `param_groups[${gi}].${k}`, errors);
  });
  opt.dispose();
  return errors;
}

const covered = new Set(OPTIMIZERS.flatMap((d) => d.golden));

describe('golden optimizer trajectories', () => {
  it('the descriptor table covers every optimizer trajectory file exactly once', () => {
    const files = goldenNames('optim').filter((n) => !n.startsWith('lbfgs_'));
    const all = OPTIMIZERS.flatMap((d) => d.golden);
    expect(new Set(all).size).toBe(all.length);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
    expect(all.filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const d of OPTIMIZERS) {
    describe(d.name, () => {
      for (const name of d.golden) {
        const c = loadGolden<TrajectoryCase>(`optim/${name}.json`);
        for (const dtype of ['float32', 'float64'] as const) {
          for (const path of ['fused', 'composed'] as const) {
            it(`${name} ${dtype} (${path})`, () => {
              expect(c.optimizer).toBe(d.name);
              const errors = runCase(d, c, dtype, engines[path]);
              expect(errors, errors.join('\n')).toEqual([]);
            });
          }
        }
      }
    });
  }
});
