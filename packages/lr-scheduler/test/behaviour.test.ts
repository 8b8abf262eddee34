/**
 * Behaviour beyond the golden loop, still checked against PyTorch's numbers: resuming with
 * `lastEpoch`, the closed forms of `step(epoch)`, per-group values, plain optimizer-like
 * objects, and fractional epochs of CosineAnnealingWarmRestarts.
 */
import { describe, expect, it } from 'vitest';
import { compareValues } from '../../../tools/testing/golden.js';
import { CosineAnnealingWarmRestarts, CyclicLR, LRScheduler, StepLR, type SchedulableOptimizer } from '../src/index.js';
import { loadCase, makeOptimizer, run, setup, snapshot } from './helpers.js';
import { buildScheduler } from './schedulers.table.js';

const expectClose = (actual: number[], expected: number[], tol: { rtol: number; atol: number }, label: string): void => {
  expect(compareValues(actual, expected, tol, label)).toBeNull();
};

describe('resuming with lastEpoch (PyTorch: the constructor computes epoch lastEpoch + 1 from the current lr)', () => {
  const names = ['steplr', 'multisteplr', 'exponentiallr', 'constantlr', 'linearlr', 'polynomiallr', 'cosineannealinglr', 'lambdalr', 'onecyclelr_cos', 'onecyclelr_adam_betas', 'cycliclr_triangular2_no_momentum'];
  it.each(names)('%s', (name) => {
    const c = loadCase(`sched/${name}.json`);
    const tol = c.tolerance.float64;
    const k = Math.floor(c.steps / 3);
    const { opt, sched } = setup(c);
    run(c, opt, sched, 0, k);
    // A new scheduler on the same optimizer (which holds initialLr etc.), resuming at epoch k.
    const resumed = buildScheduler(opt, { ...c.scheduler, lastEpoch: k }) as LRScheduler;
    expect(resumed.lastEpoch).toBe(k + 1);
    const snaps = [snapshot(opt), ...run(c, opt, resumed, k + 1, c.steps)];
    snaps.forEach((s, i) => {
      expectClose(s.lr, c.float64.lr[k + 1 + i]!, tol, `lr[${k + 1 + i}]`);
      if (c.float64.beta1) expectClose(s.beta1 as number[], c.float64.beta1[k + 1 + i]!, tol, `beta1[${k + 1 + i}]`);
    });
  });

  it('without initialLr in the groups it is an error (PyTorch: KeyError)', () => {
    const opt = makeOptimizer(loadCase('sched/steplr.json').optimizer);
    expect(() => new StepLR(opt, { stepSize: 10, lastEpoch: 3 })).toThrow(/param 'initialLr' is not specified in paramGroups\[0\]/);
  });
});

describe('step(epoch): the closed form at that epoch', () => {
  const names = ['steplr', 'multisteplr', 'multisteplr_repeated_milestone', 'exponentiallr', 'constantlr', 'linearlr', 'linearlr_decay', 'polynomiallr', 'cosineannealinglr', 'lambdalr'];
  it.each(names)('%s', (name) => {
    const c = loadCase(`sched/${name}.json`);
    const { opt, sched } = setup(c);
    for (const e of [37, 3, 0, c.steps, 20, 21]) {
      opt.step();
      (sched as LRScheduler).step(e);
      expectClose(snapshot(opt).lr, c.float64.lr[e]!, c.tolerance.float64, `lr at epoch ${e}`);
      expect((sched as LRScheduler).lastEpoch).toBe(e);
    }
  });
});

describe('optimizer-like objects and per-group values', () => {
  it('drives any object with paramGroups and stepCount, and keeps initialLr in the groups', () => {
    const opt = { paramGroups: [{ lr: 1, momentum: 0.5 }, { lr: 2, momentum: 0.5 }], stepCount: 0 };
    const s = new StepLR(opt as SchedulableOptimizer, { stepSize: 2 });
    expect(opt.paramGroups).toEqual([
      { lr: 1, momentum: 0.5, initialLr: 1 },
      { lr: 2, momentum: 0.5, initialLr: 2 },
    ]);
    for (let i = 0; i < 4; i++) {
      opt.stepCount++;
      s.step();
    }
    // gamma defaults to 0.1: at epoch 4 the lr is initialLr * 0.1^2.
    expectClose(opt.paramGroups.map((g) => g.lr), [0.01, 0.02], { rtol: 1e-12, atol: 0 }, 'lr');
  });

  it('a number is repeated for every group; a list gives one value per group (golden cycliclr)', () => {
    const c = loadCase('sched/cycliclr_triangular_momentum.json');
    const opt = makeOptimizer(c.optimizer);
    const cyc = new CyclicLR(opt, { baseLr: [0.01, 0.001], maxLr: [0.1, 0.005], stepSizeUp: 8, stepSizeDown: 12, baseMomentum: 0.8, maxMomentum: [0.9, 0.9] });
    expect(cyc.maxLrs).toEqual([0.1, 0.005]);
    expect(cyc.baseMomentums).toEqual([0.8, 0.8]);
    const snaps = [snapshot(opt), ...run(c, opt, cyc, 0, 30)];
    snaps.forEach((s, k) => expectClose(s.momentum as number[], c.float64.momentum![k]!, c.tolerance.float64, `momentum[${k}]`));
  });
});

describe('CosineAnnealingWarmRestarts with fractional epochs', () => {
  it('step(epoch + i / iters) follows the SGDR formula within each period', () => {
    const opt = { paramGroups: [{ lr: 0.1 }], stepCount: 0 };
    const s = new CosineAnnealingWarmRestarts(opt, { t0: 2, tMult: 2, etaMin: 0.001 });
    // Periods: [0, 2), [2, 6), [6, 14): at epoch 3.5, tCur = 1.5 and tI = 4.
    const sgdr = (tCur: number, tI: number): number => 0.001 + ((0.1 - 0.001) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
    for (const [e, tCur, tI] of [
      [0.5, 0.5, 2],
      [1.75, 1.75, 2],
      [3.5, 1.5, 4],
      [6.25, 0.25, 8],
      [13, 7, 8],
    ] as const) {
      opt.stepCount++;
      s.step(e);
      expect(s.lastEpoch).toBe(Math.floor(e));
      expectClose([opt.paramGroups[0]!.lr], [sgdr(tCur, tI)], { rtol: 1e-12, atol: 1e-15 }, `lr at ${e}`);
    }
  });
});
