import { beforeAll, expect, it } from 'vitest';
import { noGrad } from '@backstep/autograd';
import { memory, randn, tensor, tidy } from '@backstep/tensor';
import { clipGradNorm_, CrossEntropyLoss, Dropout, Linear, ReLU, Sequential } from '../src/index.js';
import { setup } from './setup.js';

beforeAll(setup);

it('a training loop with tidy, zeroGrad, clipping and in-place updates holds flat memory', () => {
  const model = new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.2), new Linear(8, 3));
  const lossFn = new CrossEntropyLoss({ labelSmoothing: 0.1 });
  const x = randn([16, 4]);
  const y = tensor(Array.from({ length: 16 }, (_, i) => i % 3), { dtype: 'int32' });
  const step = (): void => {
    tidy(() => {
      model.zeroGrad();
      const loss = lossFn.call(model.call(x), y);
      loss.backward();
      clipGradNorm_(model.parameters(), 1);
      noGrad(() => {
        for (const p of model.parameters()) p.sub_(p.grad!.mul(0.1));
      });
    });
  };
  step();
  const before = memory();
  for (let i = 0; i < 10; i++) step();
  const after = memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
  expect(model.parameters().every((p) => !p.isDisposed && p.grad !== null && !p.grad.isDisposed)).toBe(true);
});
