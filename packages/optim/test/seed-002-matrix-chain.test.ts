/**
 * Seed 002 ("optim explain"): the user's `MyModule` — an `nn.ParameterList` of two [d, d]
 * matrices and `nn.Linear(d, 1, bias=False)` — with a hand-written loss `mean((input - target)²)`,
 * trained with Adam (lr 0.01) and with LBFGS and a closure, against the PyTorch runs
 * `e2e/matrix_chain_adam.json` and `e2e/matrix_chain_lbfgs.json` (float32 and float64).
 *
 * The golden files' types and the user's model `MyModule` (whose forward follows the golden
 * `model` field) are tools/testing/golden-matrix-chain.ts's; the loss is the seed's `MyLoss`.
 */
import { noGrad, registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { mean, mul, ones, pow, sub, type DType, type Tensor } from '@backstep/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, LBFGS } from '../src/index.js';
import { compareValues, flatData, loadGolden, type GoldenTensor, type Tol } from '../../../tools/testing/golden.js';
import {
  initialStateDict, lossTol, MyModule, STATE_KEY, type MatrixChainAdam, type MatrixChainCommon, type MatrixChainLbfgs, type ParamName,
} from '../../../tools/testing/golden-matrix-chain.js';
import { vals } from './helpers.js';

/** The seed's hand-written loss (`MyLoss.forward`). */
class MyLoss {
  forward(input: Tensor, target: Tensor): Tensor {
    const loss = mean(pow(sub(input, target), 2));
    loss.requiresGrad_(true);
    return loss;
  }
}

function buildModel(c: MatrixChainCommon, dtype: DType): MyModule {
  const model = new MyModule(c.d, dtype);
  expect(model.namedParameters().map(([n]) => n)).toEqual(c.paramOrder.map((n) => STATE_KEY[n]));
  model.loadStateDict(initialStateDict(c));
  return model;
}

/** Sample for step s: x = ones(d, d)·i, target = ones(d, 1)·i, i = s mod nSamples. */
function sample(c: MatrixChainCommon, s: number, dtype: DType): [Tensor, Tensor] {
  const i = s % c.nSamples;
  return [mul(ones([c.d, c.d], { dtype }), i), mul(ones([c.d, 1], { dtype }), i)];
}

function compareParams(model: MyModule, c: MatrixChainCommon, expected: Record<ParamName, GoldenTensor>, tol: Tol, errors: string[]): void {
  const sd = model.stateDict();
  for (const n of c.paramOrder) {
    const m = compareValues(vals(sd[STATE_KEY[n]]), flatData(expected[n].data), tol, `final ${n}`);
    if (m) errors.push(m);
  }
}

beforeAll(() => {
  registerCpuBackend();
  registerAutograd();
});

describe('seed 002: MyModule + MyLoss + Adam (e2e/matrix_chain_adam.json)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: the loss sequence and the final parameters match PyTorch`, () => {
      const c = loadGolden<MatrixChainAdam>('e2e/matrix_chain_adam.json');
      const run = c[dtype];
      const tol = c.tolerance[dtype];
      const model = buildModel(c, dtype);
      const loss = new MyLoss();
      const optimizer = new Adam(model.parameters(), c.options);
      expect(optimizer.paramGroups[0]!.lr).toBe(0.01);
      const errors: string[] = [];
      for (let s = 0; s < c.steps; s++) {
        const [input, target] = sample(c, s, dtype);
        const output = model.forward(input);
        const myloss = loss.forward(output, target);
        optimizer.zeroGrad(); // grad = 0
        myloss.backward(); // grad = grad + updated_grad
        optimizer.step(); // data = opt(data, grad)
        const m = compareValues([myloss.item()], [run.losses[s]!], lossTol(run, tol, s), `loss ${s}`);
        if (m) errors.push(m);
      }
      compareParams(model, c, run.finalParams, tol, errors);
      expect(errors, errors.join('\n')).toEqual([]);
      // the seed's printout starts "myloss : 0.0" (sample 0 is all zeros)
      expect(run.losses[0]).toBe(0);
    });
  }
});

describe('seed 002: MyModule + MSE + LBFGS with a closure (e2e/matrix_chain_lbfgs.json)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: step losses, every closure loss, the loss after each step and the final parameters match PyTorch`, () => {
      const c = loadGolden<MatrixChainLbfgs>('e2e/matrix_chain_lbfgs.json');
      const run = c[dtype];
      const tol = c.tolerance[dtype];
      const model = buildModel(c, dtype);
      const loss = new MyLoss();
      const optimizer = new LBFGS(model.parameters(), c.options);
      const errors: string[] = [];
      for (let s = 0; s < c.outerSteps; s++) {
        const [input, target] = sample(c, s, dtype);
        const closureLosses: number[] = [];
        const closure = (): Tensor => {
          optimizer.zeroGrad();
          const output = model.forward(input);
          const myloss = loss.forward(output, target);
          myloss.backward();
          closureLosses.push(myloss.item());
          return myloss;
        };
        const stepLoss = optimizer.step(closure) as Tensor;
        const lt = lossTol(run, tol, s);
        const after = noGrad(() => loss.forward(model.forward(input), target).item());
        for (const m of [
          compareValues([stepLoss.item()], [run.stepLosses[s]!], lt, `step ${s} loss`),
          compareValues([after], [run.lossAfter[s]!], lt, `step ${s} loss after`),
          compareValues(closureLosses, run.closureLosses[s]!, lt, `step ${s} closure losses`),
        ]) {
          if (m) errors.push(m);
        }
        // the number of closure calls is PyTorch's, exactly
        expect(closureLosses.length, `step ${s}`).toBe(c.float64.closureLosses[s]!.length);
      }
      compareParams(model, c, run.finalParams, tol, errors);
      expect(errors, errors.join('\n')).toEqual([]);
    });
  }
});
