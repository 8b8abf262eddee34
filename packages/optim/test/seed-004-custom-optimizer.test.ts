/**
 * Seed 004: a user-written optimizer (examples/debiased-momentum-sgd.ts) on the `Optimizer` base
 * class: hand-derived updates, the seed code's first-step quirk, state dicts, param groups,
 * hooks, and a comparison with the built-in SGD(momentum, dampening).
 */
import { registerAutograd } from '@backstep/autograd';
import { mean, pow, sub, matmul, type DType, type Engine, type Tensor } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { DebiasedMomentumSGD } from '../examples/debiased-momentum-sgd.js';
import { SGD, toPyTorchStateDict } from '../src/index.js';
import { bits, expectClose, makeEngine, mk, vals } from './helpers.js';

const engine = makeEngine(false);
const param = (data: number[], dtype: DType = 'float64') => mk(engine, data, [data.length], dtype, true);
const setGrad = (p: Tensor, g: number[]) => {
  p.grad = mk(engine, g, [g.length], p.dtype);
};
const TIGHT = { rtol: 1e-14, atol: 1e-15 };

describe('DebiasedMomentumSGD: hand-derived updates', () => {
  it('dampening = momentum and a constant gradient g: the debiased average is g, every step moves by lr·g', () => {
    const g = [0.5, -2];
    const p = param([1, 1]);
    const opt = new DebiasedMomentumSGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.9 });
    for (let k = 1; k <= 5; k++) {
      setGrad(p, g);
      opt.step();
      // avg_k = 0.1·g·(1 + 0.9 + ... + 0.9^(k-1)) = g·(1 - 0.9^k); / (1 - 0.9^k) = g
      expectClose(vals(p), [1 - 0.1 * 0.5 * k, 1 + 0.1 * 2 * k], { rtol: 1e-13, atol: 1e-14 }, `step ${k}`);
      expect(opt.state.get(p)!['step']).toBe(k);
    }
  });

  it('two steps with varying gradients (momentum 0.5, no dampening, lr 0.5)', () => {
    // step 1: avg = [1, 2]; debiased avg / (1 - 0.5) = [2, 4]; p = 0 - 0.5·[2, 4] = [-1, -2]
    // step 2: avg = 0.5·[1, 2] + [3, -1] = [3.5, 0]; / (1 - 0.25) = [14/3, 0]; p = [-1 - 7/3, -2]
    const p = param([0, 0]);
    const opt = new DebiasedMomentumSGD([p], { lr: 0.5, momentum: 0.5 });
    setGrad(p, [1, 2]);
    opt.step();
    expectClose(vals(p), [-1, -2], TIGHT, 'step 1');
    expectClose(vals(opt.state.get(p)!['avgGrad'] as Tensor), [1, 2], TIGHT, 'avg 1');
    setGrad(p, [3, -1]);
    opt.step();
    expectClose(vals(p), [-10 / 3, -2], TIGHT, 'step 2');
    expectClose(vals(opt.state.get(p)!['avgGrad'] as Tensor), [3.5, 0], TIGHT, 'avg 2');
  });

  it("legacyFirstStep reproduces the seed code: zero first update, first gradient dropped, debiasing one step late", () => {
    // call 1: state created, avg = zeros: p stays [0, 0]
    // call 2: avg = 0.5·0 + [3, -1]; / (1 - 0.5^1) = [6, -2]; p = 0 - 0.5·[6, -2] = [-3, 1]
    const p = param([0, 0]);
    const opt = new DebiasedMomentumSGD([p], { lr: 0.5, momentum: 0.5, legacyFirstStep: true });
    setGrad(p, [1, 2]);
    opt.step();
    expect(vals(p)).toEqual([0, 0]);
    expect(vals(opt.state.get(p)!['avgGrad'] as Tensor)).toEqual([0, 0]);
    expect(opt.state.get(p)!['step']).toBe(1);
    setGrad(p, [3, -1]);
    opt.step();
    expectClose(vals(p), [-3, 1], TIGHT, 'call 2');
    expect(opt.state.get(p)!['step']).toBe(2);
  });

  it('momentum = 0 is plain SGD (the seed code would fail: avg is never assigned) and keeps no state', () => {
    const p = param([1, 2]);
    const opt = new DebiasedMomentumSGD([p], { lr: 0.25 });
    setGrad(p, [4, -4]);
    opt.step();
    expect(vals(p)).toEqual([0, 3]);
    expect(opt.state.size).toBe(0);
  });

  it('parameters without a gradient are skipped', () => {
    const a = param([1]);
    const b = param([5]);
    const opt = new DebiasedMomentumSGD([a, b], { lr: 0.5, momentum: 0.9, dampening: 0.9 });
    setGrad(a, [2]);
    opt.step();
    expectClose(vals(a), [0], TIGHT, 'a');
    expect(vals(b)).toEqual([5]);
    expect(opt.state.has(b)).toBe(false);
  });
});

describe('DebiasedMomentumSGD: what the base class gives for free', () => {
  it('param groups with different learning rates', () => {
    const a = param([0, 0]);
    const b = param([0, 0]);
    const opt = new DebiasedMomentumSGD([{ params: [a] }, { params: [b], lr: 0.01 }], { lr: 0.1, momentum: 0.8, dampening: 0.8 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.01]);
    for (let k = 1; k <= 3; k++) {
      setGrad(a, [1, -1]);
      setGrad(b, [1, -1]);
      opt.step();
      expectClose(vals(a), [-0.1 * k, 0.1 * k], { rtol: 1e-13, atol: 1e-15 }, `a ${k}`);
      expectClose(vals(b), [-0.01 * k, 0.01 * k], { rtol: 1e-13, atol: 1e-15 }, `b ${k}`);
    }
    // a scheduler-style change of one group's lr applies from the next step
    opt.paramGroups[1]!.lr = 0.02;
    setGrad(a, [1, -1]);
    setGrad(b, [1, -1]);
    opt.step();
    expectClose(vals(b), [-0.05, 0.05], { rtol: 1e-13, atol: 1e-15 }, 'b after lr change');
  });

  it('stateDict / loadStateDict: a resumed optimizer continues bit-identically; PyTorch layout names', () => {
    const grads = [[0.5, -1.25], [2, 0.75], [-1, 1], [0.25, 0.5], [3, -2]];
    const a = param([1, -1], 'float32');
    const optA = new DebiasedMomentumSGD([a], { lr: 0.05, momentum: 0.9 });
    const b = param([1, -1], 'float32');
    const optB = new DebiasedMomentumSGD([b], { lr: 0.05, momentum: 0.9 });
    for (const g of grads.slice(0, 2)) {
      for (const [p, o] of [[a, optA], [b, optB]] as const) {
        setGrad(p, g);
        o.step();
      }
    }
    const sd = optB.stateDict();
    expect(Object.keys(toPyTorchStateDict(sd).state[0]!).sort()).toEqual(['avg_grad', 'step']);
    expect(toPyTorchStateDict(sd).param_groups[0]).toMatchObject({ lr: 0.05, momentum: 0.9, dampening: 0, legacy_first_step: false });
    const c = param(vals(b), 'float32');
    const optC = new DebiasedMomentumSGD([c], { lr: 0.05, momentum: 0.9 });
    optC.loadStateDict(sd);
    for (const g of grads.slice(2)) {
      for (const [p, o] of [[a, optA], [c, optC]] as const) {
        setGrad(p, g);
        o.step();
      }
    }
    expect(bits(c)).toEqual(bits(a));
    expect(optC.state.get(c)!['step']).toBe(5);
    // validated: a state dict of the wrong shape is refused with a clear error
    const wrong = new DebiasedMomentumSGD([param([0, 0, 0], 'float32')], { lr: 0.05, momentum: 0.9 });
    expect(() => wrong.loadStateDict(sd)).toThrow(/avgGrad' of parameter 0 has shape \[2\] but the parameter has shape \[3\]/);
  });

  it('step hooks and stepCount', () => {
    const p = param([0]);
    const opt = new DebiasedMomentumSGD([p], { lr: 1, momentum: 0.5 });
    const seen: string[] = [];
    opt.registerStepPreHook((o) => seen.push(`pre ${o.stepCount}`));
    const h = opt.registerStepPostHook((o) => seen.push(`post ${o.stepCount} p=${vals(p)[0]}`));
    setGrad(p, [1]);
    opt.step();
    h.remove();
    setGrad(p, [1]);
    opt.step();
    // step 1: avg = 1, / (1 - 0.5) = 2: p = -2; step 2: avg = 1.5, / 0.75 = 2: p = -4
    expect(seen).toEqual(['pre 0', 'post 1 p=-2', 'pre 1']);
    expect(vals(p)).toEqual([-4]);
    expect(opt.stepCount).toBe(2);
  });

  it('invalid hyperparameters are refused', () => {
    expect(() => new DebiasedMomentumSGD([param([0])], { lr: -1 })).toThrow(/Invalid learning rate: -1/);
    expect(() => new DebiasedMomentumSGD([param([0])], { momentum: 1 })).toThrow(/Invalid momentum value: 1/);
    expect(() => new DebiasedMomentumSGD([{ params: [param([0])], momentum: -0.1 }])).toThrow(/Invalid momentum value/);
  });
});

describe('DebiasedMomentumSGD vs the built-in SGD(momentum, dampening)', () => {
  it('constant gradient, momentum 0.9, dampening 0: the debiased steps are 10·lr·g from the start, SGD builds up 1, 1.9, 2.71, 3.439', () => {
    // debiased: avg_k = g·(1 - 0.9^k)/(1 - 0.9), / (1 - 0.9^k) = 10·g at every step
    // SGD (PyTorch): buf_1 = g, buf_k = 0.9·buf_{k-1} + g = g·(1 - 0.9^k)/0.1: 1, 1.9, 2.71, 3.439 (·g)
    const lr = 0.01;
    const g = 0.5;
    const a = param([0]);
    const b = param([0]);
    const mine = new DebiasedMomentumSGD([a], { lr, momentum: 0.9 });
    const sgd = new SGD([b], { lr, momentum: 0.9 });
    const sgdFactors = [1, 1.9, 2.71, 3.439];
    let prevA = 0;
    let prevB = 0;
    sgdFactors.forEach((factor, k) => {
      setGrad(a, [g]);
      setGrad(b, [g]);
      mine.step();
      sgd.step();
      const moveA = prevA - vals(a)[0]!;
      const moveB = prevB - vals(b)[0]!;
      expect(moveA).toBeCloseTo(10 * lr * g, 12);
      expect(moveB).toBeCloseTo(factor * lr * g, 12);
      expect(moveA).toBeGreaterThan(moveB);
      prevA = vals(a)[0]!;
      prevB = vals(b)[0]!;
    });
  });

  it('dampening = momentum: SGD starts its buffer at g (undampened), the debiased EWMA equals it for a constant g', () => {
    // both move by lr·g each step: SGD because buf_1 = g and 0.9·g + 0.1·g = g; ours by the debiasing
    const a = param([0]);
    const b = param([0]);
    const mine = new DebiasedMomentumSGD([a], { lr: 0.1, momentum: 0.9, dampening: 0.9 });
    const sgd = new SGD([b], { lr: 0.1, momentum: 0.9, dampening: 0.9 });
    for (let k = 0; k < 3; k++) {
      setGrad(a, [1]);
      setGrad(b, [1]);
      mine.step();
      sgd.step();
      expect(vals(a)[0]).toBeCloseTo(vals(b)[0]!, 14);
    }
    // with a varying gradient they differ: g = [1, 3]: SGD buf_2 = 0.9·1 + 0.1·3 = 1.2;
    // debiased avg_2 = 0.9·0.1 + 0.1·3 = 0.39, / (1 - 0.81) = 0.39 / 0.19 = 2.0526...
    const c = param([0]);
    const d = param([0]);
    const mine2 = new DebiasedMomentumSGD([c], { lr: 1, momentum: 0.9, dampening: 0.9 });
    const sgd2 = new SGD([d], { lr: 1, momentum: 0.9, dampening: 0.9 });
    for (const gv of [1, 3]) {
      setGrad(c, [gv]);
      setGrad(d, [gv]);
      mine2.step();
      sgd2.step();
    }
    expect(vals(d)[0]).toBeCloseTo(-(1 + 1.2), 12);
    expect(vals(c)[0]).toBeCloseTo(-(1 + 0.39 / 0.19), 12);
  });

  it('trains a model through autograd like any built-in optimizer (least squares, loss falls)', () => {
    const eng: Engine = makeEngine(false);
    registerAutograd(eng);
    const X = mk(eng, [1, 0, 0, 1, 1, 1, 2, 1], [4, 2], 'float64');
    const y = mk(eng, [1, 2, 3, 5], [4], 'float64');
    const w = mk(eng, [0, 0], [2], 'float64', true);
    const opt = new DebiasedMomentumSGD([w], { lr: 0.05, momentum: 0.9, dampening: 0.9 });
    const losses: number[] = [];
    for (let s = 0; s < 200; s++) {
      opt.zeroGrad();
      const loss = mean(pow(sub(matmul(X, w), y), 2));
      loss.backward();
      losses.push(loss.item());
      opt.step();
    }
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! / 20);
    // the least-squares solution: XᵀX = [[6, 3], [3, 3]], Xᵀy = [14, 10] -> w = [4/3, 2]
    expectClose(vals(w), [4 / 3, 2], { rtol: 0, atol: 1e-3 }, 'w');
  });
});
