/**
 * Seeds 001 and 003 with plain SGD: gradients computed by the formula (this is optim's test),
 * compared with the PyTorch golden runs, on the fused and the composed path.
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '@backstep/tensor';
import { SGD } from '../src/index.js';
import { flatData, loadGolden, type Tol } from '../../../tools/testing/golden.js';
import { expectClose, makeEngine, mk, vals } from './helpers.js';

interface PolyStep { z: number; gradX: number; gradY: number; xAfter: number; yAfter: number }
interface PolyCase { x0: number; y0: number; options: { lr: number }; steps: number; tolerance: Record<DType, Tol>; float32: { perStep: PolyStep[] }; float64: { perStep: PolyStep[] } }

const round = (v: number, dtype: DType): number => (dtype === 'float32' ? Math.fround(v) : v);

describe.each([true, false])('SGD end to end (fused kernels: %s)', (fused) => {
  describe.each(['float32', 'float64'] as const)('%s', (dtype) => {
    it('seed 001: z = 3x² + y³, x=1, y=2, lr 0.1: x=0.4, y=0.8 after one step; 3 steps match PyTorch', () => {
      const c = loadGolden<PolyCase>('e2e/poly_sgd.json');
      const engine = makeEngine(fused);
      const x = mk(engine, [c.x0], [], dtype, true);
      const y = mk(engine, [c.y0], [], dtype, true);
      const opt = new SGD([x, y], { lr: c.options.lr });
      const tol = c.tolerance[dtype];
      c[dtype].perStep.forEach((s, k) => {
        const xv = x.item();
        const yv = y.item();
        // dz/dx = 6x, dz/dy = 3y², computed in the run's dtype
        const gx = round(6 * xv, dtype);
        const gy = round(3 * round(yv * yv, dtype), dtype);
        expectClose([gx, gy], [s.gradX, s.gradY], tol, `grads step ${k}`);
        x.grad = mk(engine, [gx], [], dtype);
        y.grad = mk(engine, [gy], [], dtype);
        opt.step();
        expectClose([x.item(), y.item()], [s.xAfter, s.yAfter], tol, `params step ${k}`);
        opt.zeroGrad();
      });
      // hand-derived first step: 1 - 0.1·6 = 0.4, 2 - 0.1·12 = 0.8
      expect(c[dtype].perStep[0]!.xAfter).toBeCloseTo(0.4, 6);
      expect(c[dtype].perStep[0]!.yAfter).toBeCloseTo(0.8, 6);
    });

    it('seed 003: two-layer L1 net, one SGD step (lr 0.05) gives the recorded weights', () => {
      const c = loadGolden<{
        initial: Record<string, { shape: number[]; data: unknown }>;
        options: { lr: number };
        tolerance: Record<DType, Tol>;
        float32: { perStep: Array<{ grads: Record<string, { data: unknown }>; weightsAfter: Record<string, { data: unknown }> }> };
        float64: { perStep: Array<{ grads: Record<string, { data: unknown }>; weightsAfter: Record<string, { data: unknown }> }> };
      }>('e2e/two_layer_l1_sgd.json');
      const engine = makeEngine(fused);
      const W1 = mk(engine, c.initial['W1']!.data, [2, 2], dtype, true);
      const W2 = mk(engine, c.initial['W2']!.data, [1, 2], dtype, true);
      const opt = new SGD([W1, W2], { lr: c.options.lr });
      const s = c[dtype].perStep[0]!;
      W1.grad = mk(engine, s.grads['W1']!.data, [2, 2], dtype);
      W2.grad = mk(engine, s.grads['W2']!.data, [1, 2], dtype);
      opt.step();
      const tol = c.tolerance[dtype];
      expectClose(vals(W1), flatData(s.weightsAfter['W1']!.data), tol, 'W1');
      expectClose(vals(W2), flatData(s.weightsAfter['W2']!.data), tol, 'W2');
      // the hand-computed values (4 decimals)
      expectClose(vals(W1), [0.124, 0.231, 0.135, 0.1025], { rtol: 0, atol: 1e-6 }, 'W1 (hand)');
      expectClose(vals(W2), [0.1825, 0.174], { rtol: 0, atol: 1e-6 }, 'W2 (hand)');
    });
  });
});
