/**
 * Undo/redo property: for random optimizers, schedulers and step counts,
 * commit → k steps → backStep → the same k steps gives bit-identical parameters, optimizer
 * state, scheduler state and generator state. Randomness (data and dropout masks) comes from a
 * Generator that is part of the history, so restoring it replays the same batches.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import * as S from '@backstep/lr-scheduler';
import { Dropout, Linear, MSELoss, Module } from '@backstep/nn';
import * as O from '@backstep/optim';
import { Generator, randn, Tensor, type DType } from '@backstep/tensor';
import { History, statefulValue, type Stateful } from '../src/index.js';

beforeAll(() => {
  registerCpuBackend();
  registerAutograd();
  S.setSchedulerWarn(() => undefined);
});

class Net extends Module {
  l1: Linear;
  drop: Dropout;
  l2: Linear;
  constructor(g: Generator, dtype: DType) {
    super();
    this.l1 = new Linear(4, 6, { dtype, generator: g } as never);
    this.drop = new Dropout(0.25, { generator: g });
    this.l2 = new Linear(6, 2, { dtype, generator: g } as never);
  }
  override forward(x: Tensor): Tensor {
    return this.l2.forward(this.drop.forward(this.l1.forward(x).tanh()));
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = O.Optimizer<any>;
type MakeOpt = (p: Tensor[]) => AnyOptimizer;
const OPTIMIZERS: Record<string, MakeOpt> = {
  SGD: (p) => new O.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true }),
  Adam: (p) => new O.Adam(p, { lr: 0.01, amsgrad: true }),
  AdamW: (p) => new O.AdamW(p, { lr: 0.01, weightDecay: 0.1 }),
  Adamax: (p) => new O.Adamax(p, { lr: 0.01 }),
  Adagrad: (p) => new O.Adagrad(p, { lr: 0.05, lrDecay: 0.01 }),
  Adadelta: (p) => new O.Adadelta(p, { lr: 1 }),
  RMSprop: (p) => new O.RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true }),
  Rprop: (p) => new O.Rprop(p, { lr: 0.01 }),
  ASGD: (p) => new O.ASGD(p, { lr: 0.01, t0: 2 }),
  NAdam: (p) => new O.NAdam(p, { lr: 0.01 }),
  RAdam: (p) => new O.RAdam(p, { lr: 0.01 }),
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MakeSched = (o: AnyOptimizer) => { step(metric?: any): void } & Stateful;
const SCHEDULERS: Record<string, MakeSched> = {
  none: () => ({ ...statefulValue(() => 0, () => undefined), step: () => undefined }),
  StepLR: (o) => new S.StepLR(o, { stepSize: 2, gamma: 0.5 }),
  CosineAnnealingLR: (o) => new S.CosineAnnealingLR(o, { tMax: 5, etaMin: 0.001 }),
  OneCycleLR: (o) => new S.OneCycleLR(o, { maxLr: 0.05, totalSteps: 40, cycleMomentum: 'betas' in o.paramGroups[0]! || 'momentum' in o.paramGroups[0]! }),
  CyclicLR: (o) => new S.CyclicLR(o, { baseLr: 0.001, maxLr: 0.02, stepSizeUp: 3, cycleMomentum: false }),
  ReduceLROnPlateau: (o) => new S.ReduceLROnPlateau(o, { patience: 1, factor: 0.5 }),
  SequentialLR: (o) => new S.SequentialLR(o, { schedulers: [new S.LinearLR(o, { startFactor: 0.5, totalIters: 2 }), new S.ExponentialLR(o, { gamma: 0.9 })], milestones: [2] }),
};

function fingerprint(model: Net, opt: AnyOptimizer, sched: Stateful, g: Generator): string {
  const enc = (v: unknown): unknown => {
    if (v instanceof Tensor) {
      const d = v.dataSync();
      return Array.from(new Uint32Array(d.buffer, d.byteOffset, d.byteLength / 4));
    }
    return v;
  };
  return JSON.stringify({
    params: [...model.parameters()].map(enc),
    opt: opt.stateDict(),
    sched: sched.stateDict(),
    gen: g.getState(),
  }, (_k, v) => enc(v));
}

describe('undo/redo (property)', () => {
  it('commit → k steps → backStep → the same k steps is bit-identical', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(OPTIMIZERS)),
        fc.constantFrom(...Object.keys(SCHEDULERS)),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<DType>('float32', 'float64'),
        fc.integer({ min: 0, max: 1000 }),
        (optName, schedName, before, k, dtype, seed) => {
          const g = new Generator(seed);
          const model = new Net(g, dtype);
          const opt = OPTIMIZERS[optName]!([...model.parameters()]);
          const sched = SCHEDULERS[schedName]!(opt);
          const loss = new MSELoss();
          const step = (): void => {
            const x = randn([8, 4], { generator: g, dtype });
            const y = randn([8, 2], { generator: g, dtype });
            opt.zeroGrad();
            const l = loss.forward(model.forward(x), y);
            l.backward();
            opt.step();
            if (sched instanceof S.ReduceLROnPlateau) sched.step(l.item());
            else sched.step();
          };
          for (let i = 0; i < before; i++) step();
          const history = new History({ model, optimizer: opt, scheduler: sched, generator: g }, { capacity: 2 });
          history.commit();
          for (let i = 0; i < k; i++) step();
          const first = fingerprint(model, opt, sched, g);
          history.backStep();
          for (let i = 0; i < k; i++) step();
          expect(fingerprint(model, opt, sched, g)).toBe(first);
          history.clear();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('History bookkeeping', () => {
  it('keeps a bounded ring and reports steps and bytes', () => {
    const g = new Generator(1);
    const model = new Net(g, 'float32');
    const history = new History({ model }, { capacity: 3 });
    for (let s = 0; s < 5; s++) history.commit({ step: s * 10 });
    expect(history.length).toBe(3);
    expect(history.steps()).toEqual([20, 30, 40]);
    const paramBytes = [...model.parameters()].reduce((n, p) => n + p.numel() * 4, 0);
    expect(history.bytes()).toBe(3 * paramBytes);
    expect(history.backStep(2).step).toBe(30);
    expect(history.steps()).toEqual([20, 30]);
    expect(() => history.backStep(3)).toThrow(/only 2 snapshots held/);
    history.clear();
    expect(history.length).toBe(0);
  });

  it('rejects bad input clearly', () => {
    expect(() => new History({})).toThrow(/no objects/);
    expect(() => new History({ x: {} as never })).toThrow(/'x' is not Stateful/);
    expect(() => new History({ x: statefulValue(() => 1, () => undefined) }, { capacity: 0 })).toThrow(/capacity/);
    expect(() => new History({ x: statefulValue(() => 1, () => undefined) }).backStep()).toThrow(/0 snapshots held/);
  });

  it('restoring only the model does not undo a step; restoring the whole history does', () => {
    const g = new Generator(3);
    const model = new Net(g, 'float64');
    const opt = new O.Adam([...model.parameters()], { lr: 0.05 });
    const lossFn = new MSELoss();
    const x = randn([8, 4], { generator: g, dtype: 'float64' });
    const y = randn([8, 2], { generator: g, dtype: 'float64' });
    model.eval();
    const step = () => {
      opt.zeroGrad();
      lossFn.forward(model.forward(x), y).backward();
      opt.step();
    };
    step();
    const full = new History({ model, optimizer: opt });
    const modelOnly = new History({ model });
    full.commit();
    modelOnly.commit();
    step();
    const afterFirst = [...model.parameters()].map((p) => p.tolist());
    modelOnly.backStep();
    step();
    expect([...model.parameters()].map((p) => p.tolist())).not.toEqual(afterFirst); // Adam's moments moved on
    full.backStep();
    step();
    expect([...model.parameters()].map((p) => p.tolist())).toEqual(afterFirst);
  });
});

describe('History inside tidy scopes', () => {
  it('snapshots taken inside tidy survive it and memory stays flat over a guarded loop', async () => {
    const { tidy, memory } = await import('@backstep/tensor');
    const g = new Generator(5);
    const model = new Net(g, 'float32');
    model.eval();
    const opt = new O.Adam([...model.parameters()], { lr: 0.01 });
    const history = new History({ model, optimizer: opt }, { capacity: 2 });
    const lossFn = new MSELoss();
    const x = randn([8, 4], { generator: g });
    const y = randn([8, 2], { generator: g });
    const step = () => tidy(() => {
      history.commit();
      opt.zeroGrad();
      lossFn.forward(model.forward(x), y).backward();
      opt.step();
    });
    for (let i = 0; i < 5; i++) step();
    const before = memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(memory().numTensors).toBe(before);
    const paramsNow = [...model.parameters()].map((p) => p.tolist());
    history.backStep(2);
    expect([...model.parameters()].map((p) => p.tolist())).not.toEqual(paramsNow);
    step();
    step();
    expect([...model.parameters()].map((p) => p.tolist())).toEqual(paramsNow);
    history.clear();
  });
});
