/** Graphs that are recorded but never backwarded are released once their tensors are disposed. */
import { describe, expect, it } from 'vitest';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Engine, exp, logsumexp, matmul, mul, sum, tanh, tensor, type Tensor } from '@backstep/tensor';
import { grad, registerAutograd, sweepGraphs } from '../src/index.js';

function freshEngine(): Engine {
  const engine = new Engine();
  registerCpuBackend(engine);
  registerAutograd(engine);
  return engine;
}

function model(engine: Engine): { w: Tensor; x: Tensor; forward: () => Tensor } {
  const w = tensor([[0.5, -0.25], [1, 0.75]], { engine, requiresGrad: true });
  const x = tensor([[1, 2], [3, -1], [0.5, 0.5]], { engine });
  return { w, x, forward: () => sum(exp(tanh(matmul(x, w)))) };
}

describe('sweeping unreachable graphs', () => {
  it('an evaluation loop with grad enabled stays flat when swept', () => {
    const engine = freshEngine();
    const m = model(engine);
    sweepGraphs();
    const counts: number[] = [];
    for (let i = 0; i < 30; i++) {
      engine.tidy(() => m.forward().item());
      sweepGraphs();
      counts.push(engine.memory().numTensors);
    }
    expect(new Set(counts)).toEqual(new Set([2])); // only w and x
  });

  it('without explicit sweeps, the automatic sweep bounds the growth', () => {
    const engine = freshEngine();
    const m = model(engine);
    let peak = 0;
    for (let i = 0; i < 400; i++) {
      engine.tidy(() => m.forward().item());
      peak = Math.max(peak, engine.memory().numTensors);
    }
    // each forward saves 6 tensors; without sweeping 400 iterations would hold 2400
    expect(peak).toBeLessThan(600);
  });

  it('front-ends that detach internally (logsumexp) do not leak', () => {
    const engine = freshEngine();
    const x = tensor([[1, 2, 3], [0, -1, 4]], { engine, requiresGrad: true });
    const counts: number[] = [];
    for (let i = 0; i < 10; i++) {
      engine.tidy(() => sum(logsumexp(x, 1)).backward());
      sweepGraphs();
      x.grad!.dispose();
      x.grad = null;
      counts.push(engine.memory().numTensors);
    }
    expect(new Set(counts)).toEqual(new Set([1]));
  });

  it('never releases a graph a live tensor can still backward through', () => {
    const engine = freshEngine();
    const m = model(engine);
    const loss = engine.tidy(() => m.forward()); // every intermediate is disposed, the loss is live
    sweepGraphs();
    loss.backward();
    // d/dw sum(exp(tanh(xw))) = xᵀ (exp(t)·(1 - t²)), t = tanh(xw); check one entry by hand
    const xv = [[1, 2], [3, -1], [0.5, 0.5]];
    const wv = [[0.5, -0.25], [1, 0.75]];
    let g00 = 0;
    for (const row of xv) {
      const t = Math.tanh(row[0]! * wv[0]![0]! + row[1]! * wv[1]![0]!);
      g00 += row[0]! * Math.exp(t) * (1 - t * t);
    }
    expect(m.w.grad!.dataSync()[0]).toBeCloseTo(g00, 4);
  });

  it('keeps the part below a grad() input alive while its output lives', () => {
    const engine = freshEngine();
    const w = tensor([2], { engine, requiresGrad: true });
    const h = mul(w, w);
    const out = exp(h);
    const [gh] = grad(out, h); // runs only ExpBackward and frees it
    expect(gh!.dataSync()[0]).toBeCloseTo(Math.exp(4), 3);
    sweepGraphs();
    h.backward(); // MulBackward (below h) still has its saved tensors
    expect(w.grad!.dataSync()[0]).toBe(4);
  });
});
