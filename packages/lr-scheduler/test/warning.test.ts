/** The call-order warning: once per scheduler, detected through optimizer.stepCount. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SGD } from '@backstep/optim';
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  ReduceLROnPlateau,
  SequentialLR,
  setSchedulerWarn,
  STEP_ORDER_WARNING,
  StepLR,
  type WarnFunction,
} from '../src/index.js';
import { makeOptimizer } from './helpers.js';

const messages: string[] = [];
let previous: WarnFunction;
beforeEach(() => {
  messages.length = 0;
  previous = setSchedulerWarn((m) => messages.push(m));
});
afterEach(() => {
  setSchedulerWarn(previous);
});

const sgd = () =>
  makeOptimizer({ type: 'SGD', options: { lr: 0.1, momentum: 0.9 }, paramGroups: [{ params: [0] }, { params: [1], lr: 0.01 }], paramShapes: [[2], [3]] });

describe('scheduler.step() before optimizer.step()', () => {
  it('warns once, with PyTorch-style wording, without patching optimizer.step', () => {
    const opt = sgd();
    const stepBefore = opt.step;
    const sched = new StepLR(opt, { stepSize: 2 });
    expect(opt.step).toBe(stepBefore);
    expect(opt.step).toBe(SGD.prototype.step);
    expect(messages).toEqual([]);
    sched.step();
    sched.step();
    opt.step();
    sched.step();
    expect(messages).toEqual([STEP_ORDER_WARNING]);
    expect(messages[0]).toMatch(/Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`/);
  });

  it('does not warn in the right order; optimizer steps before construction do not count', () => {
    const opt = sgd();
    const sched = new ExponentialLR(opt, { gamma: 0.9 });
    opt.step();
    sched.step();
    opt.step();
    sched.step();
    expect(messages).toEqual([]);
    // Steps before the scheduler existed do not count (PyTorch resets the count at construction).
    const late = new ExponentialLR(opt, { gamma: 0.9 });
    late.step();
    expect(messages).toEqual([STEP_ORDER_WARNING]);
  });

  it('once per scheduler: each scheduler warns for itself; wrappers warn once for their children', () => {
    const opt = sgd();
    const a = new StepLR(opt, { stepSize: 2 });
    const b = new CosineAnnealingWarmRestarts(opt, { t0: 3 });
    a.step();
    b.step();
    expect(messages).toEqual([STEP_ORDER_WARNING, STEP_ORDER_WARNING]);
    messages.length = 0;
    const opt2 = sgd();
    const chained = new ChainedScheduler([new ConstantLR(opt2, { factor: 0.5 }), new ExponentialLR(opt2, { gamma: 0.9 })]);
    chained.step();
    chained.step();
    expect(messages).toEqual([STEP_ORDER_WARNING]);
    messages.length = 0;
    const opt3 = sgd();
    const seq = new SequentialLR(opt3, { schedulers: [new ConstantLR(opt3, { factor: 0.5 }), new ExponentialLR(opt3, { gamma: 0.9 })], milestones: [2] });
    seq.step();
    seq.step();
    seq.step();
    expect(messages).toEqual([STEP_ORDER_WARNING]);
  });

  it('ReduceLROnPlateau warns the same way', () => {
    const opt = sgd();
    const r = new ReduceLROnPlateau(opt);
    r.step(1.0);
    r.step(0.5);
    expect(messages).toEqual([STEP_ORDER_WARNING]);
  });

  it('a loaded scheduler is resuming a run: no warning', () => {
    const opt = sgd();
    const a = new StepLR(opt, { stepSize: 2 });
    opt.step();
    a.step();
    const b = new StepLR(sgd(), { stepSize: 2 });
    b.loadStateDict(a.stateDict());
    b.step();
    const make = () => {
      const o = sgd();
      return { o, c: new ChainedScheduler([new ConstantLR(o, { factor: 0.5 }), new ExponentialLR(o, { gamma: 0.9 })]) };
    };
    const x = make();
    x.o.step();
    x.c.step();
    const y = make();
    y.c.loadStateDict(x.c.stateDict());
    y.c.step();
    expect(messages).toEqual([]);
  });

  it('goes to console.warn by default; setSchedulerWarn(null) restores it', () => {
    setSchedulerWarn(null);
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const sched = new StepLR(sgd(), { stepSize: 2 });
      sched.step();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy).toHaveBeenCalledWith(STEP_ORDER_WARNING);
    } finally {
      spy.mockRestore();
    }
  });
});
