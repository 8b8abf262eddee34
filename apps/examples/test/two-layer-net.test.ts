import { describe, expect, it } from 'vitest';
import { runTwoLayerNet } from '../src/two-layer-net.js';

const close = (a: number[][], b: number[][], tol = 1e-6) =>
  a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - b[i]![j]!)).toBeLessThanOrEqual(tol)));

describe('main example: seed 003', () => {
  it('reproduces the forum post\'s PyTorch numbers', () => {
    const r = runTwoLayerNet(0.05);
    expect(Math.abs(r.output - 0.191)).toBeLessThan(1e-6);
    expect(Math.abs(r.loss - 0.809)).toBeLessThan(1e-6);
    close(r.gradW1, [[-0.28, -0.42], [-0.3, -0.45]]);
    close(r.gradW2, [[-0.85, -0.48]]);
    close(r.w1After, [[0.124, 0.231], [0.135, 0.1025]]);
    close(r.w2After, [[0.1825, 0.174]]);
  });
});
