import { describe, expect, it } from 'vitest';
import { loadGolden } from '../../../tools/testing/golden.js';
import { accumulation, detachCutsGraph, linear100, polynomial, stepReadsGrad } from '../backward-and-step/backward-and-step.js';

interface PolyGolden {
  tolerance: { float32: { rtol: number; atol: number } };
  float32: { perStep: Array<{ z: number; gradX: number; gradY: number; xAfter: number; yAfter: number }> };
}

describe('backward-and-step (seed 001)', () => {
  it('z = 3x² + y³: grads 6 and 12, SGD lr 0.1 gives x = 0.4, y = 0.8', () => {
    const p = polynomial(3, 0.1);
    expect(p.gradsBefore).toEqual([null, null, null]);
    expect(p.zGradAfter).toBeNull();
    expect(p.zGradFn).toBe('AddBackward');
    const s = p.steps[0]!;
    expect([s.z, s.gradX, s.gradY]).toEqual([11, 6, 12]);
    // float32: PyTorch prints 0.4000 / 0.8000 (its float32 values are 0.39999998 / 0.79999995)
    expect(Math.abs(s.xAfter - 0.4)).toBeLessThan(1e-6);
    expect(Math.abs(s.yAfter - 0.8)).toBeLessThan(1e-6);
  });

  it("matches PyTorch's three-step golden run (e2e/poly_sgd.json)", () => {
    const g = loadGolden<PolyGolden>('e2e/poly_sgd.json');
    const { rtol, atol } = g.tolerance.float32;
    const p = polynomial(g.float32.perStep.length, 0.1);
    g.float32.perStep.forEach((e, i) => {
      const a = p.steps[i]!;
      for (const k of ['z', 'gradX', 'gradY', 'xAfter', 'yAfter'] as const) {
        expect(Math.abs(a[k] - e[k]), `step ${i} ${k}`).toBeLessThanOrEqual(atol + rtol * Math.abs(e[k]));
      }
    });
  });

  it('y = 100 * x: grad [100, 100], one SGD step with lr 0.001 gives [0.9, 1.9]', () => {
    const l = linear100(0.001);
    expect(l.gradBefore).toBeNull();
    expect(l.grad).toEqual([100, 100]);
    l.xAfter.forEach((v, i) => expect(Math.abs(v - [0.9, 1.9][i]!)).toBeLessThan(1e-6));
  });

  it('without zeroGrad the gradients accumulate', () => {
    const a = accumulation(0.001);
    expect(a.gradAfterEachBackward).toEqual([[100, 100], [200, 200], [300, 300]]);
    expect(a.xAfterAccumulated.map((v) => Number(v.toFixed(5)))).toEqual([0.7, 1.7]);
    expect(a.gradAfterZeroGrad).toBeNull();
    expect(a.xWithZeroGrad.map((x) => x.map((v) => Number(v.toFixed(5))))).toEqual([[0.9, 1.9], [0.8, 1.8], [0.7, 1.7]]);
    expect(a.xWithoutZeroGrad.map((x) => x.map((v) => Number(v.toFixed(5))))).toEqual([[0.9, 1.9], [0.7, 1.7], [0.4, 1.4]]);
  });

  it('step() reads only .grad', () => {
    expect(stepReadsGrad(0.1).xAfter).toEqual([0.5, 2.5]);
  });

  it('detach() cuts the graph: no gradients, the step changes nothing', () => {
    const d = detachCutsGraph();
    expect(d.attachedRequiresGrad).toBe(true);
    expect(d.detachedRequiresGrad).toBe(false);
    expect(d.backwardError).toMatch(/does not require grad/);
    expect(d.gradsAfter).toEqual([null, null]);
    expect(d.weightsUnchanged).toBe(true);
    expect(d.weightsChangedWhenAttached).toBe(true);
  });
});
