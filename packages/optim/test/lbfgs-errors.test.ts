/** LBFGS's errors: closures, param groups, hyperparameters, dtypes, and a closure that throws. */
import type { DType } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { LBFGS, toPyTorchStateDict } from '../src/index.js';
import { makeEngine, mk, vals } from './helpers.js';
import { formulaProblem } from './lbfgs-problems.js';

describe('LBFGS: errors', () => {
  const engine = makeEngine(false);
  const p = (dtype: DType = 'float32') => mk(engine, [1, 2], [2], dtype, true);

  it('requires a closure', () => {
    const opt = new LBFGS([p()]);
    expect(() => (opt.step as (c?: unknown) => unknown)()).toThrow(/LBFGS.step requires a closure/);
    expect(opt.stepCount).toBe(0);
  });

  it('supports exactly one param group (PyTorch\'s message)', () => {
    expect(() => new LBFGS([{ params: [p()] }, { params: [p()] }])).toThrow("LBFGS doesn't support per-parameter options (parameter groups)");
    const opt = new LBFGS([p()]);
    expect(() => opt.addParamGroup({ params: [p()] })).toThrow(/parameter groups/);
  });

  it.each([
    [{ lr: -1 }, /Invalid learning rate: -1/],
    [{ maxIter: 0 }, /Invalid maxIter value \(expected a positive integer\): 0/],
    [{ maxIter: 2.5 }, /Invalid maxIter value/],
    [{ maxEval: 0 }, /Invalid maxEval value/],
    [{ historySize: 0 }, /Invalid historySize value/],
    [{ toleranceGrad: Number.NaN }, /Invalid toleranceGrad value: NaN/],
    [{ lineSearchFn: 'backtracking' }, /only 'strong_wolfe' is supported/],
  ] as const)('rejects %j', (options, message) => {
    expect(() => new LBFGS([p()], options as never)).toThrow(message);
  });

  it('all parameters must share one dtype', () => {
    expect(() => new LBFGS([p('float32'), p('float64')])).toThrow(/one dtype/);
  });

  it('a closure returning a Promise in step() points to stepAsync', () => {
    const opt = new LBFGS([p()]);
    expect(() => opt.step((async () => 1) as never)).toThrow(/stepAsync/);
  });

  for (const lineSearchFn of [null, 'strong_wolfe'] as const) {
    it(`if the closure throws, the state is as before the step and no tensor leaks (lineSearchFn ${lineSearchFn})`, () => {
      const eng = makeEngine(false);
      const { x, opt, closure } = formulaProblem(eng, { lr: 0.01, maxIter: 4, lineSearchFn });
      opt.step(closure);
      opt.step(closure);
      const before = toPyTorchStateDict(opt.stateDict(), { tensors: 'json' });
      opt.zeroGrad();
      const mem = eng.memory();
      let n = 0;
      expect(() =>
        opt.step(() => {
          if (++n === 3) throw new Error('boom');
          return closure();
        }),
      ).toThrow('boom');
      opt.zeroGrad();
      expect(eng.memory().numTensors).toBe(mem.numTensors);
      expect(eng.memory().numBytes).toBe(mem.numBytes);
      expect(toPyTorchStateDict(opt.stateDict(), { tensors: 'json' })).toEqual(before);
      // and it goes on normally afterwards
      opt.step(closure);
      expect(vals(x).every(Number.isFinite)).toBe(true);
    });
  }
});
