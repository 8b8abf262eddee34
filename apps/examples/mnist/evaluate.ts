/** The MNIST example's test-set evaluation. */
import { noGrad } from '@backstep/autograd';
import { CrossEntropyLoss, type Sequential } from '@backstep/nn';
import { tidy } from '@backstep/tensor';
import { batchOf } from './batches.js';
import type { DigitSet } from './data.js';

/** Accuracy and mean loss on the first `limit` test digits (batches of 500, no graph). */
export async function evaluate(model: Sequential, test: DigitSet, kind: 'mlp' | 'cnn', limit = test.count): Promise<{ accuracy: number; loss: number }> {
  const n = Math.min(limit, test.count);
  const lossFn = new CrossEntropyLoss({ reduction: 'sum' });
  let correct = 0;
  let loss = 0;
  model.eval();
  for (let start = 0; start < n; start += 500) {
    const idx = Array.from({ length: Math.min(500, n - start) }, (_, i) => start + i);
    const [c, l] = tidy(() => noGrad(() => {
      const [x, y] = batchOf(test, idx, kind);
      const logits = model.call(x);
      return [logits.argmax(1).eq(y).sum(), lossFn.call(logits, y)];
    }));
    correct += await c.itemAsync();
    loss += await l.itemAsync();
    c.dispose();
    l.dispose();
  }
  model.train();
  return { accuracy: correct / n, loss: loss / n };
}
