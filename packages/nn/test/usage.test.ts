/** The README's usage example, as a test: a small classifier trains and its loss goes down. */
import { beforeAll, expect, it } from 'vitest';
import { noGrad } from '@backstep/autograd';
import { manualSeed, randn, tensor, tidy, type Tensor } from '@backstep/tensor';
import { clipGradNorm_, CrossEntropyLoss, Dropout, Linear, Module, ReLU } from '../src/index.js';
import { setup } from './setup.js';

beforeAll(setup);

class Net extends Module<[Tensor], Tensor> {
  fc1 = new Linear(4, 16);
  act = new ReLU();
  drop = new Dropout(0.1);
  fc2 = new Linear(16, 3);
  forward(x: Tensor): Tensor {
    return this.fc2.call(this.drop.call(this.act.call(this.fc1.call(x))));
  }
}

it('trains the README model', () => {
  manualSeed(0);
  const model = new Net();
  const lossFn = new CrossEntropyLoss({ labelSmoothing: 0.1 });
  const x = randn([8, 4]);
  const y = tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: 'int32' });
  const evalLoss = (): number => tidy(() => noGrad(() => lossFn.call(model.eval().call(x), y).item()));
  const first = evalLoss();
  model.train();
  for (let step = 0; step < 100; step++) {
    tidy(() => {
      model.zeroGrad();
      const loss = lossFn.call(model.call(x), y);
      loss.backward();
      clipGradNorm_(model.parameters(), 1.0);
      noGrad(() => model.parameters().forEach((p) => p.sub_(p.grad!.mul(0.1))));
    });
  }
  const last = evalLoss();
  expect(last).toBeLessThan(first * 0.6);
  expect(Object.keys(model.stateDict())).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
});
