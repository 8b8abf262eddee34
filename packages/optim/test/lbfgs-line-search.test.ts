/**
 * The strong Wolfe line search against an independent plain-number transliteration of torch
 * 1.13's `_strong_wolfe` / `_cubic_interpolate` (lbfgs-line-search-reference.ts, in float64
 * where ScalarOps does plain double arithmetic), on 1-D objectives chosen so that every branch of
 * the algorithm runs (the reference counts them and the test asserts each one was taken). Plus
 * hand-derived sequences.
 */
import { tensor, type Tensor } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { strongWolfe } from '../src/lbfgs-line-search.js';
import type { LbfgsGen } from '../src/lbfgs-reads.js';
import { ScalarOps, type Num } from '../src/lbfgs-scalars.js';
import { makeEngine } from './helpers.js';
import { hits, py, refStrongWolfe, type Objective } from './lbfgs-line-search-reference.js';

// ---- the implementation under test, driven synchronously -------------------------------------

const engine = makeEngine(false);
const S = new ScalarOps('float64');

function runImpl(obj: Objective, x: number, t0: number, d: number, maxLs?: number, t0Tensor = false): { t: number; f: number; g: number; evals: number[] } {
  const evals: number[] = [];
  const dT = tensor([d], { engine, dtype: 'float64' });
  const [f0, g0] = obj(x);
  const g0T = tensor([g0], { engine, dtype: 'float64' });
  const evaluate = function* (t: Num): LbfgsGen<[number, Tensor]> {
    evals.push(t.v);
    const [f, g] = obj(x + t.v * d);
    return [f, tensor([g], { engine, dtype: 'float64' })];
  };
  const gen = strongWolfe(S, evaluate, t0Tensor ? S.tensor(t0) : S.py(t0), dT, f0, g0T, S.tensor(g0 * d), maxLs === undefined ? {} : { maxLs });
  let input = 0;
  for (;;) {
    const r = gen.next(input);
    if (r.done) {
      const out = { t: r.value.t.v, f: r.value.f, g: r.value.g.item(), evals };
      r.value.g.dispose();
      dT.dispose();
      return out;
    }
    if (r.value.kind !== 'read') throw new Error('the line search evaluates only through `evaluate`');
    input = r.value.tensor.item();
  }
}

const OBJECTIVES: Array<[string, Objective, number, number, number]> = [
  // name, objective, x0, d, t0
  ['far quadratic (extrapolates, then Wolfe)', (x) => [(x - 100) ** 2, 2 * (x - 100)], 0, 1, 1],
  ['near quadratic (overshoot, zoom)', (x) => [(x - 0.01) ** 2, 2 * (x - 0.01)], 0, 1, 1],
  ['linear (never satisfied: max_ls)', (x) => [-x, -1], 0, 1, 1],
  ['kink |x - 0.3| (no curvature condition: zoom until the bracket is small)', (x) => [Math.abs(x - 0.3), Math.sign(x - 0.3)], 0, 1, 1],
  ['kink |x - 0.3| from the right (x1 > x2 in the cubic)', (x) => [Math.abs(x - 0.3), Math.sign(x - 0.3)], 1, -1, 1],
  ['quartic', (x) => [(x - 0.5) ** 4 + 0.1 * x, 4 * (x - 0.5) ** 3 + 0.1], -1, 1, 1],
  ['quartic, long step', (x) => [(x - 0.5) ** 4 + 0.1 * x, 4 * (x - 0.5) ** 3 + 0.1], -1, 1, 8],
  ['cosine valley', (x) => [-Math.cos(3 * x) + 0.05 * x * x, 3 * Math.sin(3 * x) + 0.1 * x], -0.2, 1, 2],
  ['cosine, tiny step', (x) => [-Math.cos(3 * x) + 0.05 * x * x, 3 * Math.sin(3 * x) + 0.1 * x], -0.9, 1, 1e-3],
  ['plateau then cliff', (x) => [x < 1 ? -x * 1e-3 : -1e-3 + (x - 1) ** 2 * 100, x < 1 ? -1e-3 : 200 * (x - 1)], 0, 1, 0.5],
  ['sawtooth-ish', (x) => [Math.sin(20 * x) * 0.1 - x, 2 * Math.cos(20 * x) - 1], 0, 1, 1],
  ['steep exp', (x) => [Math.exp(5 * x) - 10 * x, 5 * Math.exp(5 * x) - 10], -1, 1, 1],
  ['slope -1 with bumps (midpoint of the bounds)', (x) => [-x + 0.1 * Math.sin(x), -1 + 0.1 * Math.cos(x)], 0, 1, 1],
  ['bumpy bowl (no decrease after extrapolating)', (x) => [(x * x) / 50 - x + 0.1 * Math.sin(5 * x), x / 25 - 1 + 0.5 * Math.cos(5 * x)], 0, 1, 0.3],
  [
    'a descent slope with a bump: sufficient decrease barely holds at the first trial',
    (x) => [-x + 0.995 * Math.sin((Math.PI * x) / 2) ** 2, -1 + 0.995 * (Math.PI / 2) * Math.sin(Math.PI * x)],
    0,
    1,
    1,
  ],
  ['bowl with ripples (no decrease at the second trial)', (x) => [0.2 * x * x - x + 0.5 * Math.cos(13 * x), 0.4 * x - 1 - 6.5 * Math.sin(13 * x)], 0, 1, 1],
  ['huber-like', (x) => (Math.abs(x - 2) < 0.01 ? [((x - 2) ** 2) / 0.02, (x - 2) / 0.01] : [Math.abs(x - 2) - 0.005, Math.sign(x - 2)]), 0, 1, 1],
];

describe('strong Wolfe line search vs a plain transliteration of torch 1.13', () => {
  for (const [name, obj, x0, d, t0] of OBJECTIVES) {
    for (const t0Tensor of [false, true]) {
      it(`${name} (initial step a ${t0Tensor ? '0-d tensor' : 'Python float'})`, () => {
        const [f0, g0] = obj(x0);
        const ref = refStrongWolfe(obj, x0, { v: t0, T: t0Tensor }, d, f0, g0, g0 * d);
        const mine = runImpl(obj, x0, t0, d, undefined, t0Tensor);
        expect(mine.evals).toEqual(ref.evals);
        expect(mine.t).toBe(ref.t);
        expect(mine.f).toBe(ref.f);
        expect(mine.g).toBe(ref.g);
      });
    }
  }

  it('the objectives above take every branch of the algorithm', () => {
    for (const [, obj, x0, d, t0] of OBJECTIVES) {
      const [f0, g0] = obj(x0);
      refStrongWolfe(obj, x0, py(t0), d, f0, g0, g0 * d);
    }
    expect([...hits.keys()].sort()).toEqual(
      [
        'bracket: armijo fails',
        'bracket: no decrease',
        'bracket: wolfe holds',
        'bracket: slope turns positive',
        'bracket: extrapolate',
        'max_ls reached',
        'zoom: bracket too small',
        'zoom: moved away from the boundary',
        'zoom: insufficient progress',
        'zoom: new high',
        'zoom: wolfe holds',
        'zoom: old high becomes low',
        'zoom: new low',
        'cubic: real minimizer',
        'cubic: x1 > x2',
        'cubic: midpoint',
      ].sort(),
    );
  });
});

describe('strong Wolfe: hand-derived sequences', () => {
  it('(x - 100)², x0 = 0, d = 1: t = 1 fails the curvature test, extrapolation is clamped to 10·t, where Wolfe holds', () => {
    // phi(1) = 99² = 9801 <= 10000 - 1e-4·200 (Armijo); |phi'(1)| = 198 > 0.9·200 = 180
    // cubic through (0, 10000, -200), (1, 9801, -198) of a quadratic: its minimizer 100, clamped
    // to max_step = 10; phi'(10) = -180: |−180| <= 180
    const r = runImpl((x) => [(x - 100) ** 2, 2 * (x - 100)], 0, 1, 1);
    expect(r.evals).toEqual([1, 10]);
    expect(r.t).toBe(10);
    expect(r.f).toBe(8100);
  });

  it('(x - 0.01)², x0 = 0, d = 1: t = 1 overshoots, zoom interpolates the exact minimizer 0.01 (flagged as close to the boundary)', () => {
    // phi(1) = 0.9801 > 1e-4 - ... : bracket [0, 1]; the cubic of a quadratic gives 0.01, which is
    // within 0.1·|bracket| of 0: insufficient progress is noted, 0.01 is still evaluated and
    // satisfies Wolfe (phi'(0.01) = 0)
    const r = runImpl((x) => [(x - 0.01) ** 2, 2 * (x - 0.01)], 0, 1, 1);
    expect(r.evals.length).toBe(2);
    expect(r.evals[0]).toBe(1);
    expect(r.evals[1]).toBeCloseTo(0.01, 15);
    expect(r.t).toBeCloseTo(0.01, 15);
  });

  it('-x: every trial decreases with the same slope, the step grows 10× per iteration until max_ls', () => {
    // the cubic of a line has no finite minimizer (division by zero -> ±Infinity), clamped to 10·t
    const r = runImpl((x) => [-x, -1], 0, 1, 1, 4);
    expect(r.evals).toEqual([1, 10, 100, 1000, 10000]);
    expect(r.t).toBe(10000);
  });
});
