/** Bad constructor input: every case throws a clear error and leaves the optimizer untouched. */
import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  type SchedulableOptimizer,
} from '../src/index.js';
import { makeOptimizer, type OptimizerSpec } from './helpers.js';

const sgdSpec = (momentum: number): OptimizerSpec => ({
  type: 'SGD',
  options: { lr: 0.1, momentum },
  paramGroups: [{ params: [0] }, { params: [1], lr: 0.01 }],
  paramShapes: [[2], [3]],
});
const adamSpec: OptimizerSpec = { type: 'Adam', options: { lr: 0.01 }, paramGroups: [{ params: [0] }, { params: [1] }], paramShapes: [[2], [3]] };
const sgd = () => makeOptimizer(sgdSpec(0.9));
/** A plain optimizer-like object without momentum or betas (e.g. Adagrad's groups). */
const plain = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1 }, { lr: 0.01 }], stepCount: 0 });

type Make = (opt: SchedulableOptimizer) => unknown;
const CASES: Array<[string, Make, RegExp]> = [
  ['StepLR stepSize 0', (o) => new StepLR(o, { stepSize: 0 }), /StepLR: stepSize must be a positive integer, got 0/],
  ['StepLR stepSize -3', (o) => new StepLR(o, { stepSize: -3 }), /stepSize must be a positive integer, got -3/],
  ['StepLR stepSize 2.5', (o) => new StepLR(o, { stepSize: 2.5 }), /stepSize must be a positive integer, got 2.5/],
  ['StepLR missing stepSize', (o) => new StepLR(o, {} as never), /stepSize must be a positive integer/],
  ['StepLR no options', (o) => new StepLR(o, undefined as never), /StepLR: expected an options object/],
  ['StepLR gamma NaN', (o) => new StepLR(o, { stepSize: 2, gamma: NaN }), /gamma must be a finite number, got NaN/],
  ['MultiStepLR decreasing', (o) => new MultiStepLR(o, { milestones: [30, 10] }), /MultiStepLR: milestones must be increasing, got \[30,10\]/],
  ['MultiStepLR non-integer', (o) => new MultiStepLR(o, { milestones: [1.5] }), /milestones must be a list of non-negative integers/],
  ['MultiStepLR not a list', (o) => new MultiStepLR(o, { milestones: 10 as never }), /milestones must be a list/],
  ['ConstantLR factor > 1', (o) => new ConstantLR(o, { factor: 1.5 }), /ConstantLR: factor must be a number in \(0, 1\], got 1.5/],
  ['ConstantLR factor 0', (o) => new ConstantLR(o, { factor: 0 }), /factor must be a number in \(0, 1\], got 0/],
  ['ConstantLR totalIters 0', (o) => new ConstantLR(o, { totalIters: 0 }), /totalIters must be a positive integer, got 0/],
  ['LinearLR startFactor 0', (o) => new LinearLR(o, { startFactor: 0 }), /LinearLR: startFactor must be a number in \(0, 1\], got 0/],
  ['LinearLR endFactor 2', (o) => new LinearLR(o, { endFactor: 2 }), /endFactor must be a number in \[0, 1\], got 2/],
  ['LinearLR totalIters -1', (o) => new LinearLR(o, { totalIters: -1 }), /totalIters must be a positive integer/],
  ['ExponentialLR no gamma', (o) => new ExponentialLR(o, {} as never), /ExponentialLR: gamma must be a finite number, got undefined/],
  ['PolynomialLR totalIters 0', (o) => new PolynomialLR(o, { totalIters: 0 }), /PolynomialLR: totalIters must be a positive integer, got 0/],
  ['CosineAnnealingLR tMax 0', (o) => new CosineAnnealingLR(o, { tMax: 0 }), /CosineAnnealingLR: tMax must be a positive finite number, got 0/],
  ['CosineAnnealingLR tMax -5', (o) => new CosineAnnealingLR(o, { tMax: -5 }), /tMax must be a positive finite number, got -5/],
  ['CAWR t0 0', (o) => new CosineAnnealingWarmRestarts(o, { t0: 0 }), /CosineAnnealingWarmRestarts: t0 must be a positive integer, got 0/],
  ['CAWR tMult 0', (o) => new CosineAnnealingWarmRestarts(o, { t0: 5, tMult: 0 }), /tMult must be a positive integer, got 0/],
  ['CAWR tMult 1.5', (o) => new CosineAnnealingWarmRestarts(o, { t0: 5, tMult: 1.5 }), /tMult must be a positive integer, got 1.5/],
  ['CyclicLR bad mode', (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, mode: 'sawtooth' as never }), /CyclicLR: mode must be one of 'triangular', 'triangular2', 'exp_range', got "sawtooth"/],
  ['CyclicLR bad scaleMode', (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, scaleFn: () => 1, scaleMode: 'epochs' as never }), /scaleMode must be one of 'cycle', 'iterations'/],
  ['CyclicLR stepSizeUp 0', (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 0 }), /stepSizeUp must be a positive finite number, got 0/],
  ['CyclicLR stepSizeDown -1', (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeDown: -1 }), /stepSizeDown must be a positive finite number, got -1/],
  ['CyclicLR baseLr list length', (o) => new CyclicLR(o, { baseLr: [0.01, 0.02, 0.03], maxLr: 0.1 }), /CyclicLR: baseLr must have one value per param group: got 3 values for 2 param groups/],
  ['CyclicLR maxMomentum list length', (o) => new CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, maxMomentum: [0.9] }), /maxMomentum must have one value per param group: got 1 values for 2 param groups/],
  ['OneCycleLR nothing', (o) => new OneCycleLR(o, { maxLr: 0.1 }), /OneCycleLR: you must define either totalSteps OR \(epochs AND stepsPerEpoch\)/],
  ['OneCycleLR only epochs', (o) => new OneCycleLR(o, { maxLr: 0.1, epochs: 3 }), /either totalSteps OR \(epochs AND stepsPerEpoch\)/],
  ['OneCycleLR totalSteps 0', (o) => new OneCycleLR(o, { maxLr: 0.1, totalSteps: 0 }), /totalSteps must be a positive integer, got 0/],
  ['OneCycleLR epochs -1', (o) => new OneCycleLR(o, { maxLr: 0.1, epochs: -1, stepsPerEpoch: 10 }), /epochs must be a positive integer, got -1/],
  ['OneCycleLR stepsPerEpoch 0', (o) => new OneCycleLR(o, { maxLr: 0.1, epochs: 2, stepsPerEpoch: 0 }), /stepsPerEpoch must be a positive integer, got 0/],
  ['OneCycleLR pctStart 1.5', (o) => new OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }), /pctStart must be a number in \[0, 1\], got 1.5/],
  ['OneCycleLR annealStrategy', (o) => new OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, annealStrategy: 'exp' as never }), /annealStrategy must be one of 'cos', 'linear', got "exp"/],
  ['OneCycleLR maxLr list length', (o) => new OneCycleLR(o, { maxLr: [0.1], totalSteps: 10 }), /maxLr must have one value per param group: got 1 values for 2 param groups/],
  ['ReduceLROnPlateau factor 1', (o) => new ReduceLROnPlateau(o, { factor: 1 }), /ReduceLROnPlateau: factor must be a number < 1.0/],
  ['ReduceLROnPlateau factor 2', (o) => new ReduceLROnPlateau(o, { factor: 2 }), /factor must be a number < 1.0 \(the lr is multiplied by it\), got 2/],
  ['ReduceLROnPlateau mode', (o) => new ReduceLROnPlateau(o, { mode: 'lowest' as never }), /mode must be one of 'min', 'max', got "lowest"/],
  ['ReduceLROnPlateau thresholdMode', (o) => new ReduceLROnPlateau(o, { thresholdMode: 'pct' as never }), /thresholdMode must be one of 'rel', 'abs', got "pct"/],
  ['ReduceLROnPlateau minLr list', (o) => new ReduceLROnPlateau(o, { minLr: [0, 0, 0] }), /minLr must have one value per param group: got 3 values for 2 param groups/],
  ['ReduceLROnPlateau patience -1', (o) => new ReduceLROnPlateau(o, { patience: -1 }), /patience must be a non-negative integer, got -1/],
  ['LambdaLR lambda count', (o) => new LambdaLR(o, { lrLambda: [() => 1] }), /LambdaLR: expected 2 lrLambdas \(one per param group\), but got 1/],
  ['LambdaLR not a function', (o) => new LambdaLR(o, { lrLambda: 0.5 as never }), /lrLambda should be a function or a list of functions, but got 0.5/],
  ['MultiplicativeLR not a function', (o) => new MultiplicativeLR(o, { lrLambda: [() => 1, 2 as never] }), /MultiplicativeLR: lrLambda\[1\] should be a function/],
  ['StepLR lastEpoch -2', (o) => new StepLR(o, { stepSize: 2, lastEpoch: -2 }), /lastEpoch must be an integer >= -1, got -2/],
  ['StepLR resume without initialLr', (o) => new StepLR(o, { stepSize: 2, lastEpoch: 5 }), /StepLR: param 'initialLr' is not specified in paramGroups\[0\] when resuming \(lastEpoch = 5\)/],
];

describe('constructor errors', () => {
  it.each(CASES)('%s', (_name, make, message) => {
    const opt = sgd();
    const before = JSON.stringify(opt.paramGroups.map(({ params: _p, ...h }) => h));
    expect(() => make(opt)).toThrow(message);
    expect(JSON.stringify(opt.paramGroups.map(({ params: _p, ...h }) => h)), 'the optimizer is unchanged').toBe(before);
  });

  it('rejects something that is not an optimizer', () => {
    expect(() => new StepLR(null as never, { stepSize: 1 })).toThrow(/StepLR: expected an optimizer with a 'paramGroups' list, got null/);
    expect(() => new StepLR({ paramGroups: [] } as never, { stepSize: 1 })).toThrow(/StepLR: the optimizer has no param groups/);
    expect(() => new StepLR({ paramGroups: [{ lr: '0.1' }], stepCount: 0 } as never, { stepSize: 1 })).toThrow(/paramGroups\[0\] has no numeric 'lr'/);
    expect(() => new StepLR({ paramGroups: [{ lr: 0.1 }] } as never, { stepSize: 1 })).toThrow(/the optimizer has no numeric 'stepCount'/);
  });

  it('cycling schedulers need an optimizer with momentum (or betas for OneCycleLR)', () => {
    expect(() => new CyclicLR(plain(), { baseLr: 0.01, maxLr: 0.1 })).toThrow(
      /CyclicLR: optimizer must support momentum with the cycleMomentum option enabled \(paramGroups\[0\] has no numeric 'momentum'\)/,
    );
    expect(() => new CyclicLR(makeOptimizer(adamSpec), { baseLr: 0.01, maxLr: 0.1 })).toThrow(/optimizer must support momentum/);
    expect(() => new OneCycleLR(plain(), { maxLr: 0.1, totalSteps: 10 })).toThrow(/OneCycleLR: optimizer must support momentum with the cycleMomentum option enabled/);
    // Without cycling they work, and OneCycleLR cycles Adam's betas[0].
    expect(() => new CyclicLR(plain(), { baseLr: 0.01, maxLr: 0.1, cycleMomentum: false })).not.toThrow();
    const adam = makeOptimizer(adamSpec);
    new OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10, maxMomentum: 0.97 });
    expect((adam.paramGroups[0] as unknown as { betas: number[] }).betas).toEqual([0.97, 0.999]);
  });

  it('wrappers: same optimizer, milestone count and order, LRScheduler children', () => {
    const opt = sgd();
    const other = sgd();
    const a = new ConstantLR(opt, { factor: 0.5, totalIters: 2 });
    const b = new ExponentialLR(opt, { gamma: 0.9 });
    const c = new ExponentialLR(other, { gamma: 0.9 });
    expect(() => new SequentialLR(opt, { schedulers: [a, c], milestones: [2] })).toThrow(
      /SequentialLR: expects all schedulers to belong to the same optimizer, but schedulers\[1\] drives a different one/,
    );
    expect(() => new SequentialLR(opt, { schedulers: [a, b], milestones: [2, 4] })).toThrow(/SequentialLR: expects one milestone fewer than schedulers, but got 2 schedulers and milestones \[2,4\]/);
    const d = new StepLR(opt, { stepSize: 3 });
    expect(() => new SequentialLR(opt, { schedulers: [a, b, d], milestones: [4, 4] })).toThrow(/milestones must be strictly increasing positive integers, got \[4,4\]/);
    expect(() => new SequentialLR(opt, { schedulers: [], milestones: [] })).toThrow(/expected a non-empty list of schedulers/);
    expect(() => new ChainedScheduler([a, c])).toThrow(/ChainedScheduler: expects all schedulers to belong to the same optimizer/);
    expect(() => new ChainedScheduler([a, new ReduceLROnPlateau(opt) as never])).toThrow(/schedulers\[1\] is not an LRScheduler/);
    expect(() => new ChainedScheduler([])).toThrow(/ChainedScheduler: expected a non-empty list of schedulers/);
  });
});

describe('step errors', () => {
  it('OneCycleLR: stepping past totalSteps throws and changes nothing', () => {
    const opt = sgd();
    const sched = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 5 });
    for (let i = 0; i < 5; i++) {
      opt.step();
      sched.step();
    }
    const before = sched.stateDict();
    const lrs = opt.paramGroups.map((g) => g.lr);
    expect(() => sched.step()).toThrow('OneCycleLR: tried to step 6 times; the specified number of total steps is 5');
    expect(sched.stateDict()).toEqual(before);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual(lrs);
  });

  it('ReduceLROnPlateau needs a numeric metric; a lambda must return a number', () => {
    const r = new ReduceLROnPlateau(sgd());
    expect(() => r.step('0.5' as never)).toThrow(/ReduceLROnPlateau.step: expected the metric as a number \(or a 0-d tensor\), got "0.5"/);
    expect(() => r.step(undefined as never)).toThrow(/expected the metric as a number/);
    const opt = sgd();
    const l = new LambdaLR(opt, { lrLambda: (e) => (e < 2 ? 1 : ('x' as never)) });
    opt.step();
    l.step();
    expect(() => l.step()).toThrow(/LambdaLR: lrLambda for param group 0 returned "x" at epoch 2, expected a number/);
    expect(l.lastEpoch).toBe(1);
  });

  it('step(epoch) needs a non-negative integer epoch', () => {
    const s = new StepLR(sgd(), { stepSize: 2 });
    expect(() => s.step(-1)).toThrow(/StepLR: epoch must be a non-negative integer, got -1/);
    expect(() => s.step(1.5)).toThrow(/epoch must be a non-negative integer, got 1.5/);
    const w = new CosineAnnealingWarmRestarts(sgd(), { t0: 5 });
    expect(() => w.step(-0.5)).toThrow(/CosineAnnealingWarmRestarts: epoch must be a non-negative finite number, got -0.5/);
  });
});
