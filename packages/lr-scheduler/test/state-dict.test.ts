/** Scheduler state dicts: layout, validation (a bad state dict changes nothing), PyTorch layout. */
import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  ConstantLR,
  CyclicLR,
  ExponentialLR,
  fromPyTorchSchedulerStateDict,
  LambdaLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  toPyTorchSchedulerStateDict,
  type SchedulerStateDict,
} from '../src/index.js';
import { loadCase, makeOptimizer, run, SCHED_FILES, setup, type OptimizerSpec } from './helpers.js';

const spec: OptimizerSpec = { type: 'SGD', options: { lr: 0.1, momentum: 0.9 }, paramGroups: [{ params: [0] }, { params: [1], lr: 0.01 }], paramShapes: [[2], [3]] };
const sgd = () => makeOptimizer(spec);

function stepped<T extends { step(): void }>(opt: { step(): unknown }, sched: T, n: number): T {
  for (let i = 0; i < n; i++) {
    opt.step();
    sched.step();
  }
  return sched;
}

describe('layout', () => {
  it('is versioned, typed, camelCase, and a deep copy', () => {
    const opt = sgd();
    const s = stepped(opt, new StepLR(opt, { stepSize: 3, gamma: 0.5 }), 4);
    const sd = s.stateDict();
    expect(sd).toEqual({ version: 1, type: 'StepLR', lastEpoch: 4, stepCount: 5, baseLrs: [0.1, 0.01], lastLr: [0.05, 0.005], stepSize: 3, gamma: 0.5 });
    (sd['baseLrs'] as number[])[0] = 7;
    expect(s.baseLrs).toEqual([0.1, 0.01]);
    expect(s.getLastLr()).toEqual([0.05, 0.005]);
    s.getLastLr()[0] = 3;
    expect(s.getLastLr()).toEqual([0.05, 0.005]);
  });

  it('keeps functions out (lambdas are null, as in PyTorch) and keeps the live lambdas on load', () => {
    const opt = sgd();
    const s = new LambdaLR(opt, { lrLambda: (e) => 0.5 ** e });
    const sd = stepped(opt, s, 2).stateDict();
    expect(sd['lrLambdas']).toEqual([null, null]);
    const opt2 = sgd();
    const t = new LambdaLR(opt2, { lrLambda: (e) => 0.5 ** e });
    t.loadStateDict(sd);
    opt2.step();
    t.step();
    expect(t.getLastLr()).toEqual([0.1 * 0.125, 0.01 * 0.125]);
  });

  it('ReduceLROnPlateau keeps ±Infinity in best/modeWorse', () => {
    const r = new ReduceLROnPlateau(sgd(), { mode: 'max' });
    expect(r.stateDict()).toMatchObject({ type: 'ReduceLROnPlateau', best: -Infinity, modeWorse: -Infinity, lastEpoch: 0, lastLr: [0.1, 0.01] });
  });

  it('wrappers nest their children', () => {
    const opt = sgd();
    const seq = new SequentialLR(opt, { schedulers: [new ConstantLR(opt, { factor: 0.5, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })], milestones: [2] });
    const sd = seq.stateDict();
    expect(Object.keys(sd).sort()).toEqual(['lastEpoch', 'lastLr', 'milestones', 'schedulers', 'type', 'version']);
    expect((sd['schedulers'] as SchedulerStateDict[]).map((c) => c.type)).toEqual(['ConstantLR', 'ExponentialLR']);
  });
});

describe('validation: a bad state dict throws a clear error and changes nothing', () => {
  const good = (): { s: StepLR; sd: SchedulerStateDict } => {
    const opt = sgd();
    const s = stepped(opt, new StepLR(opt, { stepSize: 3, gamma: 0.5 }), 4);
    return { s, sd: s.stateDict() };
  };
  const BAD: Array<[string, (sd: SchedulerStateDict) => unknown, RegExp]> = [
    ['not an object', () => 42, /StepLR.loadStateDict: expected a state dict object, got 42/],
    ['wrong version', (sd) => ({ ...sd, version: 2 }), /unsupported state dict version 2 \(expected 1\)/],
    ['no version', ({ version: _v, ...rest }) => rest, /unsupported state dict version undefined/],
    ['wrong type', (sd) => ({ ...sd, type: 'ExponentialLR' }), /the state dict belongs to a "ExponentialLR", not to a 'StepLR'/],
    ['missing field', ({ gamma: _g, ...rest }) => rest, /StepLR.loadStateDict: missing field 'gamma'/],
    ['unknown field', (sd) => ({ ...sd, warmup: 3 }), /unexpected field 'warmup' \(pass \{ strict: false \} to ignore\)/],
    ['bad stepSize', (sd) => ({ ...sd, stepSize: 0 }), /'stepSize' must be a positive integer, got 0/],
    ['bad lastEpoch', (sd) => ({ ...sd, lastEpoch: 2.5 }), /'lastEpoch' must be an integer >= -1, got 2.5/],
    ['baseLrs length', (sd) => ({ ...sd, baseLrs: [0.1] }), /'baseLrs' must be a list of 2 values, each a finite number, got \[0.1\]/],
    ['baseLrs value', (sd) => ({ ...sd, baseLrs: [0.1, 'x'] }), /'baseLrs' must be a list of 2 values/],
    ['PyTorch layout', () => ({ last_epoch: 4, base_lrs: [0.1, 0.01], _last_lr: [0.1, 0.01] }), /looks like a PyTorch scheduler state dict .* fromPyTorchSchedulerStateDict/],
  ];
  it.each(BAD)('%s', (_name, mutate, message) => {
    const { s, sd } = good();
    const target = new StepLR(sgd(), { stepSize: 7, gamma: 0.1 });
    const before = target.stateDict();
    expect(() => target.loadStateDict(mutate(structuredClone(sd)) as SchedulerStateDict)).toThrow(message);
    expect(target.stateDict()).toEqual(before);
    expect(s.stateDict()).toEqual(sd);
  });

  it('strict: false ignores unknown fields but still requires every known one', () => {
    const { sd } = good();
    const t = new StepLR(sgd(), { stepSize: 7 });
    t.loadStateDict({ ...sd, extra: 1 }, { strict: false });
    expect(t.stateDict()).toEqual(sd);
    const { stepSize: _s, ...missing } = sd;
    expect(() => t.loadStateDict({ ...missing, type: 'StepLR', version: 1 }, { strict: false })).toThrow(/missing field 'stepSize'/);
  });

  it('a wrapper validates every child before installing anything', () => {
    const make = () => {
      const opt = sgd();
      return new ChainedScheduler([new ConstantLR(opt, { factor: 0.5, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })]);
    };
    const a = make();
    const sd = a.stateDict();
    const bad = structuredClone(sd);
    ((bad['schedulers'] as SchedulerStateDict[])[1]!)['gamma'] = 'fast';
    const b = make();
    const before = b.stateDict();
    expect(() => b.loadStateDict(bad)).toThrow(/ChainedScheduler.loadStateDict: schedulers\[1\]: ExponentialLR.loadStateDict: 'gamma' must be a finite number, got "fast"/);
    expect(b.stateDict()).toEqual(before);
    expect(() => b.loadStateDict({ ...sd, schedulers: [sd['schedulers'] as never] })).toThrow(/'schedulers' must be a list of 2 child state dicts/);
  });

  it('CyclicLR: momentum fields are required when cycling, and only for an optimizer with momentum', () => {
    const opt = sgd();
    const c = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 });
    const sd = c.stateDict();
    const { baseMomentums: _b, ...noMomentum } = sd;
    const t = new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 });
    expect(() => t.loadStateDict(noMomentum as SchedulerStateDict)).toThrow(/CyclicLR.loadStateDict: missing field 'baseMomentums'/);
    const plain = new CyclicLR({ paramGroups: [{ lr: 1 }, { lr: 1 }], stepCount: 0 }, { baseLr: 0.01, maxLr: 0.1, cycleMomentum: false });
    expect(() => plain.loadStateDict(sd)).toThrow(/'cycleMomentum' must be a boolean \(true only for an optimizer whose groups have a numeric 'momentum'\)/);
  });
});

describe('PyTorch layout', () => {
  const cases = SCHED_FILES.map(loadCase);
  it.each(cases.map((c) => [c.name, c] as const))('%s: PyTorch final state loads, and converts back unchanged', (_name, c) => {
    const ref = setup(c);
    run(c, ref.opt, ref.sched, 0, c.steps);
    const { sched } = setup(c);
    sched.loadStateDict(fromPyTorchSchedulerStateDict(c.finalStateDict, sched));
    expect(sched.getLastLr()).toEqual(c.finalStateDict['_last_lr']);
    const back = toPyTorchSchedulerStateDict(sched.stateDict());
    const expected = JSON.parse(JSON.stringify(c.finalStateDict), (_k, v: unknown) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v));
    expect(back).toEqual(expected);
    // The converted golden state equals our own final state (same schedule), up to float rounding.
    const own = ref.sched.stateDict();
    expect(Object.keys(sched.stateDict()).sort()).toEqual(Object.keys(own).sort());
  });
});
