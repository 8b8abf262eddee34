/**
 * A training loop holds flat memory: saved tensors are released after backward and
 * intermediate gradients are disposed as soon as they are used (engine.memory() stays constant).
 */
import { describe, expect, it } from 'vitest';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Engine, matmul, mean, mul, pow, sub, sum, tanh, tensor, type Tensor } from '@backstep/tensor';
import { grad, noGrad, registerAutograd, releaseGraph } from '../src/index.js';

function freshEngine(): Engine {
  const engine = new Engine();
  registerCpuBackend(engine);
  registerAutograd(engine);
  return engine;
}

function problem(engine: Engine): { x: Tensor; y: Tensor; w: Tensor; b: Tensor } {
  const x = tensor([[0.5, -1, 2], [1, 0.25, -0.5], [0, 1, 1], [-1, 2, 0.5]], { engine });
  const y = tensor([[1, 0], [0, 1], [1, 1], [0, 0]], { engine });
  const w = tensor([[0.1, -0.2], [0.3, 0.05], [-0.1, 0.2]], { engine, requiresGrad: true });
  const b = tensor([0.01, -0.02], { engine, requiresGrad: true });
  return { x, y, w, b };
}

function lossOf(p: { x: Tensor; y: Tensor; w: Tensor; b: Tensor }): Tensor {
  const out = tanh(matmul(p.x, p.w).add(p.b));
  return mean(pow(sub(out, p.y), 2));
}

function sgd(params: Tensor[], lr: number, zero: boolean): void {
  noGrad(() => {
    for (const p of params) {
      p.sub_(mul(p.grad!, lr));
      if (zero) {
        p.grad!.dispose();
        p.grad = null;
      }
    }
  });
}

describe('flat memory', () => {
  it('50 iterations of forward / backward / SGD inside tidy: numTensors returns to the same value', () => {
    const engine = freshEngine();
    const p = problem(engine);
    const counts: number[] = [];
    const losses: number[] = [];
    for (let i = 0; i < 50; i++) {
      engine.tidy(() => {
        const loss = lossOf(p);
        losses.push(loss.item());
        loss.backward();
        sgd([p.w, p.b], 0.5, true);
      });
      counts.push(engine.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBe(4); // x, y, w, b: no saved tensor or gradient survives
    expect(engine.memory().numDataBuffers).toBe(4);
    expect(losses[49]!).toBeLessThan(losses[0]!); // it trains
  });

  it('gradient accumulation across iterations (no zeroing) is flat too', () => {
    const engine = freshEngine();
    const p = problem(engine);
    const counts: number[] = [];
    for (let i = 0; i < 50; i++) {
      engine.tidy(() => {
        lossOf(p).backward();
        if (i % 5 === 4) sgd([p.w, p.b], 0.1, true);
      });
      counts.push(engine.memory().numTensors);
    }
    // 4 tensors, plus 2 gradients while accumulating (after iterations 0..3 of each group of 5)
    expect(counts.filter((_, i) => i % 5 === 4)).toEqual(new Array(10).fill(4));
    expect(counts.filter((_, i) => i % 5 !== 4)).toEqual(new Array(40).fill(6));
  });

  it('forward in tidy, backward outside: saved tensors are freed by backward', () => {
    const engine = freshEngine();
    const p = problem(engine);
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const loss = engine.tidy(() => lossOf(p));
      loss.backward();
      loss.dispose();
      engine.tidy(() => sgd([p.w, p.b], 0.1, true));
      counts.push(engine.memory().numTensors);
    }
    expect(new Set(counts)).toEqual(new Set([4]));
  });

  it('a createGraph loop (gradient penalty) is flat when the graph is released', () => {
    const engine = freshEngine();
    const p = problem(engine);
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      engine.tidy(() => {
        const loss = lossOf(p);
        const [gw] = grad(loss, p.w, { createGraph: true });
        const total = loss.add(sum(mul(gw!, gw!)));
        total.backward();
        releaseGraph(loss);
        sgd([p.w, p.b], 0.1, true);
      });
      counts.push(engine.memory().numTensors);
    }
    expect(new Set(counts)).toEqual(new Set([4]));
  });

  it('grad() results belong to the caller; retainGraph keeps saved tensors until released', () => {
    const engine = freshEngine();
    const p = problem(engine);
    const loss = lossOf(p);
    const withGraph = engine.memory().numTensors;
    const [gw] = grad(loss, p.w, { retainGraph: true });
    expect(engine.memory().numTensors).toBe(withGraph + 1);
    gw!.dispose();
    releaseGraph(loss);
    expect(engine.memory().numTensors).toBeLessThan(withGraph);
    expect(() => loss.backward()).toThrow(/second time/);
  });
});
