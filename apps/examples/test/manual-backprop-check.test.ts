import { describe, expect, it } from 'vitest';
import { loadGolden } from '../../../tools/testing/golden.js';
import { runManualBackpropCheck } from '../manual-backprop-check/manual-backprop-check.js';

const close = (a: number[][], b: unknown, tol = 1e-6) => {
  const e = b as number[][];
  a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - e[i]![j]!)).toBeLessThanOrEqual(tol)));
};

interface TwoLayerGolden {
  float32: {
    perStep: Array<{
      output: { data: number[] };
      loss: number;
      grads: { W1: { data: number[][] }; W2: { data: number[][] } };
      weightsAfter: { W1: { data: number[][] }; W2: { data: number[][] } };
    }>;
  };
}

describe('manual-backprop-check (seed 003, the main example)', () => {
  const r = runManualBackpropCheck(0.05);

  it("reproduces the forum post's PyTorch numbers", () => {
    const a = r.autograd;
    expect(Math.abs(a.output - 0.191)).toBeLessThan(1e-6);
    expect(Math.abs(a.loss - 0.809)).toBeLessThan(1e-6);
    close(a.gradW1, [[-0.28, -0.42], [-0.3, -0.45]]);
    close(a.gradW2, [[-0.85, -0.48]]);
    close(a.w1After, [[0.124, 0.231], [0.135, 0.1025]]);
    close(a.w2After, [[0.1825, 0.174]]);
  });

  it("matches PyTorch's golden run (e2e/two_layer_l1_sgd.json) in float32", () => {
    const g = loadGolden<TwoLayerGolden>('e2e/two_layer_l1_sgd.json').float32.perStep[0]!;
    const a = r.autograd;
    expect(Math.abs(a.output - g.output.data[0]!)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(a.loss - g.loss)).toBeLessThanOrEqual(1e-6);
    close(a.gradW1, g.grads.W1.data);
    close(a.gradW2, g.grads.W2.data);
    close(a.w1After, g.weightsAfter.W1.data);
    close(a.w2After, g.weightsAfter.W2.data);
  });

  it('the hand calculation agrees with autograd once dL/dout = sign(out - target) = -1', () => {
    expect(r.hand.dOut).toBe(-1);
    expect(r.maxDiff).toBeLessThan(1e-6);
    close(r.hand.w2After, [[0.1825, 0.174]]);
  });

  it("the forum's update (multiplying by out - target = -0.809) is what gave 0.174 / 0.169", () => {
    expect(r.forumW2After[0]).toBeCloseTo(0.1743825, 9);
    expect(r.forumW2After[1]).toBeCloseTo(0.169416, 9);
    expect(Math.abs(r.forumW2After[0]! - r.autograd.w2After[0]![0]!)).toBeGreaterThan(0.008);
  });

  it('with MSELoss the (out - target) factor appears (times 2) and autograd agrees with the hand formula', () => {
    expect(r.mse.hand.dOut).toBeCloseTo(2 * (0.191 - 1), 6);
    expect(r.mse.maxDiff).toBeLessThan(1e-6);
  });
});
