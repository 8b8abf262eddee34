import { describe, expect, it } from 'vitest';
import { loadGolden } from '../../../tools/testing/golden.js';
import { runAdam, runLambdaLR, runLBFGS } from '../optimizer-internals/optimizer-internals.js';

interface Tol { rtol: number; atol: number }
interface AdamGolden {
  steps: number;
  tolerance: { float64: Tol };
  float32: { losses: number[]; lossTolerance: { rtol: number[]; atol: number[] } };
  float64: { losses: number[] };
}
interface LbfgsGolden {
  outerSteps: number;
  tolerance: { float64: Tol };
  float32: { stepLosses: number[]; closureLosses: number[][]; lossAfter: number[]; lossTolerance: { rtol: number[]; atol: number[] } };
  float64: { stepLosses: number[]; closureLosses: number[][]; lossAfter: number[] };
}

const within = (a: number, e: number, rtol: number, atol: number) => Math.abs(a - e) <= atol + rtol * Math.abs(e);

describe('optimizer-internals (seed 002)', () => {
  const gA = loadGolden<AdamGolden>('e2e/matrix_chain_adam.json');
  const gL = loadGolden<LbfgsGolden>('e2e/matrix_chain_lbfgs.json');

  it("Adam lr 0.01: the loss sequence matches PyTorch's (e2e/matrix_chain_adam.json), float32 and float64", () => {
    const a32 = runAdam({ steps: gA.steps });
    expect(a32.losses).toHaveLength(200);
    a32.losses.forEach((l, s) => {
      expect(within(l, gA.float32.losses[s]!, gA.float32.lossTolerance.rtol[s]!, gA.float32.lossTolerance.atol[s]!), `float32 step ${s}: ${l} vs ${gA.float32.losses[s]}`).toBe(true);
    });
    // the first steps agree to float32 rounding
    for (let s = 0; s < 8; s++) expect(Math.abs(a32.losses[s]! - gA.float32.losses[s]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, gA.float32.losses[s]!));
    const a64 = runAdam({ steps: gA.steps, dtype: 'float64' });
    const { rtol, atol } = gA.tolerance.float64;
    a64.losses.forEach((l, s) => expect(within(l, gA.float64.losses[s]!, rtol, atol), `float64 step ${s}: ${l} vs ${gA.float64.losses[s]}`).toBe(true));
  });

  it('paramGroups[0] holds the hyperparameters and the three parameters', () => {
    const a = runAdam({ steps: 1 });
    expect(a.paramGroup).toMatchObject({ lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(a.paramShapes).toEqual([[10, 10], [10, 10], [1, 10]]);
  });

  it("LBFGS with a closure matches PyTorch's run (e2e/matrix_chain_lbfgs.json): step losses, closure calls, losses after", () => {
    const l32 = runLBFGS({ outerSteps: gL.outerSteps });
    const t = gL.float32.lossTolerance;
    l32.stepLosses.forEach((v, s) => expect(within(v, gL.float32.stepLosses[s]!, t.rtol[s]!, t.atol[s]!), `step ${s}`).toBe(true));
    l32.lossAfter.forEach((v, s) => expect(within(v, gL.float32.lossAfter[s]!, t.rtol[s]!, t.atol[s]!), `after ${s}`).toBe(true));
    expect(l32.closureLosses.map((c) => c.length)).toEqual(gL.float32.closureLosses.map((c) => c.length));
    const l64 = runLBFGS({ outerSteps: gL.outerSteps, dtype: 'float64' });
    const { rtol, atol } = gL.tolerance.float64;
    l64.stepLosses.forEach((v, s) => expect(within(v, gL.float64.stepLosses[s]!, rtol, atol), `float64 step ${s}`).toBe(true));
    l64.closureLosses.forEach((c, s) => c.forEach((v, k) => expect(within(v, gL.float64.closureLosses[s]![k]!, rtol, atol), `closure ${s}.${k}`).toBe(true)));
    expect(l64.lossAfter[l64.lossAfter.length - 1]).toBeLessThan(1e-3);
  });

  it("LambdaLR(0.95 ** epoch) prints the seed's learning rates", () => {
    const r = runLambdaLR({ epochs: 10, stepsPerEpoch: 3 });
    const seed = [0.01, 0.0095, 0.009025, 0.00857375, 0.0081450625, 0.007737809374999998, 0.007350918906249998, 0.006983372960937498, 0.006634204312890623, 0.006302494097246091, 0.005987369392383787];
    r.lrBeforeStep.forEach((lr, e) => expect(lr).toBeCloseTo(seed[e]!, 15));
    r.lastLrAfterStep.forEach((lr, e) => expect(lr).toBeCloseTo(seed[e + 1]!, 15));
  });
});
