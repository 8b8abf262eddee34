/**
 * LBFGS beyond the golden files: hand-derived iterations, several parameters, hooks, state-dict
 * validation and memory (the host scalars: lbfgs-scalars.test.ts; errors and failure handling:
 * lbfgs-errors.test.ts).
 */
import { add, cat, mul, pow, reshape, sub, sum, tensor, type Tensor } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { LBFGS, toPyTorchStateDict } from '../src/index.js';
import { bits, makeEngine, mk, vals } from './helpers.js';
import { autogradEngine, formulaProblem, quadClosure } from './lbfgs-problems.js';

describe('LBFGS: hand-derived iterations', () => {
  it('f(x) = (x - 3)², x0 = 0, lr 1, no line search: x = 1 (t = 1/|g|₁), then the secant step lands on 3', () => {
    // iteration 1: g = 2(0 - 3) = -6, d = 6, t = min(1, 1/6)·1 = 1/6, x1 = 0 + 6/6 = 1
    // iteration 2: g = -4, y = 2, s = d·t = 1, ys = 2, ro = 1/2, H = ys/yy = 1/2;
    //   q = 4, al = s·q·ro = 2, q = 4 - 2·y = 0, r = q·H = 0, be = 0, r = 0 + s·(al - be) = 2
    //   t = lr = 1, x2 = 1 + 2 = 3; then g = 0 <= toleranceGrad stops the step
    const engine = autogradEngine();
    const x = mk(engine, [0], [1], 'float64', true);
    const opt = new LBFGS([x], { lr: 1 });
    const calls: number[][] = [];
    const loss = opt.step(quadClosure(opt, x, [3], calls));
    expect((loss as Tensor).item()).toBe(9);
    expect(calls).toEqual([[0], [1], [3]]);
    expect(vals(x)).toEqual([3]);
    const st = opt.state.get(x)!;
    expect(st['funcEvals']).toBe(3);
    expect(st['nIter']).toBe(2);
    expect(st['t']).toBe(1);
    expect(st['ro']).toEqual([0.5]);
    expect(st['HDiag']).toBe(0.5);
    expect(vals(st['d'] as Tensor)).toEqual([2]);
    expect((st['al'] as number[]).slice(0, 2)).toEqual([2, null]);
    expect(st['prevLoss']).toBe(4);
    // a second step sees g = 0 at once: one closure call, nothing else changes
    const again: number[][] = [];
    opt.step(quadClosure(opt, x, [3], again));
    expect(again).toEqual([[3]]);
    expect(opt.state.get(x)!['funcEvals']).toBe(4);
    expect(opt.state.get(x)!['nIter']).toBe(2);
    expect(opt.stepCount).toBe(2);
  });

  it('maxIter / maxEval bound the closure calls; no re-evaluation after the last fixed-step iteration', () => {
    const engine = autogradEngine();
    const x = mk(engine, [0, 0], [2], 'float64', true);
    const calls: number[][] = [];
    const opt = new LBFGS([x], { lr: 0.01, maxIter: 4 });
    opt.step(quadClosure(opt, x, [3, -5], calls));
    // 1 initial + one per iteration except the last (PyTorch: "re-evaluate only if not in last iteration")
    expect(calls.length).toBe(4);
    expect(opt.state.get(x)!['nIter']).toBe(4);
    const y = mk(engine, [0, 0], [2], 'float64', true);
    const opt2 = new LBFGS([y], { lr: 0.01, maxIter: 10, maxEval: 3 });
    const calls2: number[][] = [];
    opt2.step(quadClosure(opt2, y, [3, -5], calls2));
    expect(calls2.length).toBe(3);
    expect(opt2.state.get(y)!['nIter']).toBe(2);
  });

  it('a constant gradient never passes the curvature test (y·s = 0): H_diag stays 1, d = -g', () => {
    // f = -2x: g = -2 everywhere. iter 1: d = 2, t = min(1, 1/2)·1 = 0.5, x = 1; iter 2: y = 0,
    // ys = 0 <= 1e-10 (no history), d = -g·H_diag = 2, t = lr = 1, x = 3; iter 3 (the last, not
    // re-evaluated): x = 5 (maxEval raised above its default floor(3·5/4) = 3, which would stop at x = 3)
    const engine = autogradEngine();
    const x = mk(engine, [0], [1], 'float64', true);
    const opt = new LBFGS([x], { lr: 1, maxIter: 3, maxEval: 10 });
    const calls: number[][] = [];
    opt.step(() => {
      opt.zeroGrad();
      const loss = sum(mul(x, -2));
      loss.backward();
      calls.push(vals(x));
      return loss;
    });
    expect(calls).toEqual([[0], [1], [3]]);
    expect(vals(x)).toEqual([5]);
    const st = opt.state.get(x)!;
    expect(st['HDiag']).toBe(1);
    expect(st['oldDirs']).toEqual([]);
    expect(st['ro']).toEqual([]);
  });

  it('lack of progress: a parameter change max|d·t| <= toleranceChange ends the step', () => {
    // f = 1e6 (x - 3)²: g = -6e6, d = 6e6, t = min(1, 1/6e6)·lr, so the first move is lr = 1e-10
    // <= 1e-9, while the loss changes by about 3.6e-3 (not below toleranceChange)
    const engine = autogradEngine();
    const x = mk(engine, [0], [1], 'float64', true);
    const opt = new LBFGS([x], { lr: 1e-10 });
    const calls: number[][] = [];
    opt.step(() => {
      opt.zeroGrad();
      const loss = mul(sum(pow(sub(x, 3), 2)), 1e6);
      loss.backward();
      calls.push(vals(x));
      return loss;
    });
    expect(calls.length).toBe(2);
    expect(calls[1]![0]).toBeCloseTo(1e-10, 20);
    expect(opt.state.get(x)!['nIter']).toBe(1);
  });

  it('a gradient already below toleranceGrad returns after one closure call with only the counters in state', () => {
    const engine = autogradEngine();
    const x = mk(engine, [3], [1], 'float32', true);
    const opt = new LBFGS([x]);
    const calls: number[][] = [];
    opt.step(quadClosure(opt, x, [3], calls));
    expect(calls).toEqual([[3]]);
    expect(toPyTorchStateDict(opt.stateDict()).state).toEqual({ 0: { func_evals: 1, n_iter: 0 } });
  });

  it('the closure may return a number; the returned loss is the first call\'s', () => {
    const engine = autogradEngine();
    const x = mk(engine, [0], [1], 'float64', true);
    const opt = new LBFGS([x]);
    const out = opt.step(() => {
      opt.zeroGrad();
      const loss = sum(pow(sub(x, 3), 2));
      loss.backward();
      return loss.item();
    });
    expect(out).toBe(9);
    expect(vals(x)).toEqual([3]);
  });

  it('strong_wolfe solves a 2-D quadratic exactly in one outer step', () => {
    const engine = autogradEngine();
    const x = mk(engine, [0, 0], [2], 'float64', true);
    const opt = new LBFGS([x], { lineSearchFn: 'strong_wolfe' });
    opt.step(quadClosure(opt, x, [1.5, -2], []));
    expect(vals(x)[0]).toBeCloseTo(1.5, 12);
    expect(vals(x)[1]).toBeCloseTo(-2, 12);
  });
});

describe('LBFGS: several parameters', () => {
  it('two parameters [2,2] and [2] follow the same trajectory as one parameter [6] (flat vectors, write-back)', () => {
    const engine = autogradEngine();
    const c = [0.5, -1, 2, 0.25, -0.75, 1.5];
    const w = [1, 3, 2, 5, 4, 6]; // f = sum(w · (x - c)^4) + sum(x)², a non-quadratic objective
    const f = (flatX: Tensor): Tensor =>
      add(sum(mul(tensor(w, { engine, dtype: 'float64' }), pow(sub(flatX, tensor(c, { engine, dtype: 'float64' })), 4))), pow(sum(flatX), 2));
    const init = [0, 0.5, -0.5, 1, 0, 0.25];
    for (const lineSearchFn of [null, 'strong_wolfe'] as const) {
      const one = mk(engine, init, [6], 'float64', true);
      const A = mk(engine, init.slice(0, 4), [2, 2], 'float64', true);
      const b = mk(engine, init.slice(4), [2], 'float64', true);
      const o1 = new LBFGS([one], { lr: 0.1, lineSearchFn, maxIter: 6 });
      const o2 = new LBFGS([A, b], { lr: 0.1, lineSearchFn, maxIter: 6 });
      for (let s = 0; s < 3; s++) {
        o1.step(() => {
          o1.zeroGrad();
          const l = f(one);
          l.backward();
          return l;
        });
        o2.step(() => {
          o2.zeroGrad();
          const l = f(cat([reshape(A, [4]), b]));
          l.backward();
          return l;
        });
        expect(bits(A).concat(bits(b))).toEqual(bits(one));
      }
      const s1 = toPyTorchStateDict(o1.stateDict(), { tensors: 'json' });
      const s2 = toPyTorchStateDict(o2.stateDict(), { tensors: 'json' });
      expect(s2.state).toEqual(s1.state);
      expect(Object.keys(s2.state)).toEqual(['0']); // global state lives on the first parameter
    }
  });

  it('a parameter without a gradient contributes zeros to the flat gradient and does not move', () => {
    const engine = autogradEngine();
    const x = mk(engine, [0], [1], 'float64', true);
    const unused = mk(engine, [7, 8], [2], 'float64', true);
    const opt = new LBFGS([x, unused]);
    opt.step(quadClosure(opt, x, [3], []));
    expect(vals(x)).toEqual([3]);
    expect(vals(unused)).toEqual([7, 8]);
    expect((opt.state.get(x)!['d'] as Tensor).shape).toEqual([3]);
  });
});

describe('LBFGS: hooks, state dicts, memory', () => {
  it('step hooks run once per step; the post-hook gets the first closure loss', () => {
    const engine = autogradEngine();
    const x = mk(engine, [0], [1], 'float64', true);
    const opt = new LBFGS([x]);
    const seen: string[] = [];
    opt.registerStepPreHook(() => seen.push('pre'));
    opt.registerStepPostHook((_, loss) => seen.push(`post ${(loss as Tensor).item()}`));
    opt.step(quadClosure(opt, x, [3], []));
    expect(seen).toEqual(['pre', 'post 9']);
  });

  it('loadStateDict validates the flat vectors and the history lists', () => {
    const engine = autogradEngine();
    const x = mk(engine, [0, 0], [2], 'float64', true);
    const opt = new LBFGS([x], { lr: 0.1, maxIter: 3 });
    opt.step(quadClosure(opt, x, [3, 1], []));
    opt.step(quadClosure(opt, x, [3, 1], []));
    const good = opt.stateDict();
    const other = new LBFGS([mk(engine, [0, 0], [2], 'float64', true)], { lr: 0.1, maxIter: 3 });
    const entry = good.state[0]!;
    const bad = (patch: Record<string, unknown>) => ({ ...good, state: { 0: { ...entry, ...patch } } });
    expect(() => other.loadStateDict(bad({ d: tensor([1, 2, 3], { engine, dtype: 'float64' }) }) as never)).toThrow(
      /state 'd' has shape \[3\] but LBFGS's flat vectors have shape \[2\]/,
    );
    expect(() => other.loadStateDict(bad({ ro: [1] }) as never)).toThrow(/same length/);
    expect(() => other.loadStateDict(bad({ d: tensor([1, 2], { engine, dtype: 'float32' }) }) as never)).toThrow(/dtype float32/);
    expect(() => other.loadStateDict({ ...good, state: { 1: entry } } as never)).toThrow(/parameter 0/);
    expect(() => other.loadStateDict(bad({ funcEvals: undefined }) as never)).toThrow(/funcEvals/);
    expect(other.state.size).toBe(0); // nothing was loaded
    other.loadStateDict(good);
    expect(toPyTorchStateDict(other.stateDict(), { tensors: 'json' })).toEqual(toPyTorchStateDict(good, { tensors: 'json' }));
  });

  it('engine memory is flat across steps once the history is full, and dispose() frees the state', () => {
    const engine = makeEngine(false);
    const base = engine.memory();
    const { x, opt, closure, dispose } = formulaProblem(engine, { lr: 0.001, maxIter: 4, historySize: 3 });
    for (let s = 0; s < 5; s++) opt.step(closure);
    expect((opt.state.get(x)!['oldDirs'] as Tensor[]).length).toBe(3);
    const warm = engine.memory();
    for (let s = 0; s < 20; s++) opt.step(closure);
    const after = engine.memory();
    expect(after.numTensors).toBe(warm.numTensors);
    expect(after.numBytes).toBe(warm.numBytes);
    opt.zeroGrad();
    opt.dispose();
    dispose();
    expect(engine.memory().numTensors).toBe(base.numTensors);
    expect(engine.memory().numBytes).toBe(base.numBytes);
  });
});
