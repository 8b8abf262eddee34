/**
 * Every module case of ../shared/golden/modules (nn.Linear forward and gradients from PyTorch
 * 1.13.1) in float32 and float64, plus seed 003 (the two-layer net without bias and L1Loss,
 * ../shared/golden/e2e/two_layer_l1_sgd.json).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { noGrad } from '@backstep/autograd';
import { tensor, type DType, type Tensor } from '@backstep/tensor';
import { L1Loss, Linear, Module, Parameter } from '../src/index.js';
import { compareTensor, listGolden, loadGolden, makeInput, makeTensor, type GoldenCase, type GoldenTensor, type Tol } from '../../../tools/testing/golden.js';
import { expectClose, setup, values } from './setup.js';

beforeAll(setup);

const files = listGolden('modules');

describe('golden modules (PyTorch 1.13)', () => {
  it('covers every module file', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of files) {
    const c = loadGolden<GoldenCase>(file);
    for (const dtype of ['float32', 'float64'] as const satisfies readonly DType[]) {
      it(`${c.name} [${dtype}]`, () => {
        expect(c.kind).toBe('module');
        expect(c.module).toBe('Linear');
        const o = c.options as { inFeatures: number; outFeatures: number; bias: boolean };
        const lin = new Linear(o.inFeatures, o.outFeatures, { bias: o.bias, dtype });
        const byName = Object.fromEntries(c.inputs.map((i) => [i.name, i]));
        // parameters come in through loadStateDict ({shape, data} objects), the input as a tensor
        const sd: Record<string, GoldenTensor> = { weight: byName.weight! };
        if (o.bias) sd.bias = byName.bias!;
        expect(lin.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
        expect(lin.bias === null).toBe(!o.bias);
        const x = makeInput(byName.input!, dtype);
        const out = lin.call(x);
        out.backward(makeTensor(c.upstreamGrad, dtype));
        const tol = c.tolerance[dtype];
        const exp = c[dtype];
        const grads: Record<string, Tensor | null> = { input: x.grad, weight: lin.weight.grad, bias: lin.bias?.grad ?? null };
        const problems = [compareTensor(out, exp.output, tol, 'output')];
        for (const [name, g] of Object.entries(exp.grads)) problems.push(compareTensor(grads[name] ?? null, g, tol, `grad ${name}`));
        expect(Object.keys(exp.grads).sort()).toEqual(c.inputs.filter((i) => i.requiresGrad).map((i) => i.name).sort());
        expect(problems.filter((p) => p !== null)).toEqual([]);
      });
    }
  }
});

interface TwoLayerCase {
  kind: string;
  tolerance: { float32: Tol; float64: Tol };
  initial: Record<'W1' | 'W2' | 'x' | 'target', GoldenTensor>;
  options: { lr: number };
  float32: { perStep: TwoLayerStep[] };
  float64: { perStep: TwoLayerStep[] };
}
interface TwoLayerStep {
  output: GoldenTensor;
  loss: number;
  grads: { W1: GoldenTensor; W2: GoldenTensor };
  weightsAfter: { W1: GoldenTensor; W2: GoldenTensor };
}

/** The seed's `MyNet`: two bias-free Linear layers whose weights are replaced by Parameters. */
class MyNet extends Module<[Tensor], Tensor> {
  linear1: Linear;
  linear2: Linear;

  constructor(w1: Tensor, w2: Tensor, dtype: DType) {
    super();
    this.linear1 = new Linear(2, 2, { bias: false, dtype });
    this.linear1.weight = new Parameter(w1);
    this.linear2 = new Linear(2, 1, { bias: false, dtype });
    this.linear2.weight = new Parameter(w2);
  }

  forward(inputs: Tensor): Tensor {
    return this.linear2.call(this.linear1.call(inputs));
  }
}

describe('seed 003: two-layer net without bias, L1Loss', () => {
  const c = loadGolden<TwoLayerCase>('e2e/two_layer_l1_sgd.json');

  it('gives the gradients of the forum thread (float32)', () => {
    const model = new MyNet(tensor([[0.11, 0.21], [0.12, 0.08]]), tensor([[0.14, 0.15]]), 'float32');
    expect(model.namedParameters().map(([n]) => n)).toEqual(['linear1.weight', 'linear2.weight']);
    const result = model.call(tensor([2.0, 3.0]));
    const loss = new L1Loss().call(result, tensor([1.0]));
    model.zeroGrad();
    loss.backward();
    expectClose(values(result), [0.191], 1e-6);
    expectClose(values(loss), [0.809], 1e-6);
    expectClose(values(model.linear1.weight.grad), [-0.28, -0.42, -0.3, -0.45], 1e-6);
    expectClose(values(model.linear2.weight.grad), [-0.85, -0.48], 1e-6);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`matches two_layer_l1_sgd.json, including one SGD step [${dtype}]`, () => {
      expect(c.kind).toBe('e2eTwoLayerNet');
      const tol = c.tolerance[dtype];
      const step = c[dtype].perStep[0]!;
      const model = new MyNet(makeTensor(c.initial.W1, dtype), makeTensor(c.initial.W2, dtype), dtype);
      const out = model.call(makeTensor(c.initial.x, dtype));
      const loss = new L1Loss().call(out, makeTensor(c.initial.target, dtype));
      loss.backward();
      const w1 = model.linear1.weight;
      const w2 = model.linear2.weight;
      const problems = [
        compareTensor(out, step.output, tol, 'output'),
        compareTensor(loss, { shape: [], data: step.loss }, tol, 'loss'),
        compareTensor(w1.grad, step.grads.W1, tol, 'W1.grad'),
        compareTensor(w2.grad, step.grads.W2, tol, 'W2.grad'),
      ];
      // plain SGD, in place (parameter identity is kept)
      noGrad(() => {
        for (const p of model.parameters()) p.sub_(p.grad!.mul(c.options.lr));
      });
      expect(model.linear1.weight).toBe(w1);
      problems.push(compareTensor(w1, step.weightsAfter.W1, tol, 'W1 after'), compareTensor(w2, step.weightsAfter.W2, tol, 'W2 after'));
      expect(problems.filter((p) => p !== null)).toEqual([]);
    });
  }
});
