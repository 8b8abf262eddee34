/**
 * A small CNN training step, batch 32 of 1×28×28: conv 3×3 (1→8, pad 1) → ReLU → conv 3×3
 * (8→16, stride 2, pad 1) → ReLU → flatten (3136) → linear 10, cross-entropy, Adam.
 * tfjs runs it in NHWC (its native layout), Backstep and jax-js in NCHW.
 */
import * as B from '@backstep/backstep';
import { jax, jaxTrainStep, oneHot, randomData, randomLabels, tf, useTf } from './peers.js';
import type { Contender } from './timing.js';

type J = jax.numpy.Array;
const np = jax.numpy;
const N = 32;
const SHAPES = { w1: [8, 1, 3, 3], b1: [8], w2: [16, 8, 3, 3], b2: [16], w3: [3136, 10], b3: [10] };

function setThreads(n: number): void {
  (B.getEngine().getBackend('cpu') as B.CpuBackend).setThreads(n);
}

/** The CNN contenders. */
export function cnnCase(threads: number): Contender[] {
  const xs = randomData(N * 784, 5);
  const labels = randomLabels(N, 10, 6);
  const make = (t: number): Contender => ({ name: `backstep-${t}t`, setup: () => {
    setThreads(t);
    const model = new B.nn.Sequential(
      new B.nn.Conv2d(1, 8, 3, { padding: 1 }), new B.nn.ReLU(),
      new B.nn.Conv2d(8, 16, 3, { stride: 2, padding: 1 }), new B.nn.ReLU(),
      new B.nn.Flatten(), new B.nn.Linear(3136, 10),
    );
    const opt = new B.Adam(model.parameters(), { lr: 1e-3 });
    const lossFn = new B.nn.CrossEntropyLoss();
    const x = B.tensor(xs, { shape: [N, 1, 28, 28] });
    const y = B.tensor(labels, { shape: [N], dtype: 'int32' });
    return {
      run: () => { setThreads(t); B.tidy(() => { opt.zeroGrad(); lossFn.call(model.call(x), y).backward(); opt.step(); }); },
      cleanup: () => B.dispose(x, y),
    };
  } });
  const list: Contender[] = [make(1)];
  if (threads > 1) list.push(make(threads));
  for (const backend of ['cpu', 'wasm'] as const) {
    list.push({ name: `tfjs-${backend}`, setup: async () => {
      await useTf(backend);
      const v = (shape: number[], seed: number): tf.Variable => tf.variable(tf.tensor(randomData(shape.reduce((p, d) => p * d, 1), seed, 0.1), shape));
      const vars = [v([3, 3, 1, 8], 1), v([8], 2), v([3, 3, 8, 16], 3), v([16], 4), v([3136, 10], 5), v([10], 6)];
      const [w1, b1, w2, b2, w3, b3] = vars as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
      const x = tf.tensor4d(xs, [N, 28, 28, 1]);
      const y = tf.tensor2d(oneHot(labels, 10), [N, 10]);
      const opt = tf.train.adam(1e-3);
      const loss = (): tf.Scalar => {
        const h1 = tf.relu(tf.add(tf.conv2d(x, w1, 1, 'same'), b1));
        const h2 = tf.relu(tf.add(tf.conv2d(h1 as tf.Tensor4D, w2, 2, 'same'), b2));
        const logits = tf.add(tf.matMul(tf.reshape(h2, [N, 3136]), w3), b3);
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      };
      return { run: async () => { await useTf(backend); tf.dispose(opt.minimize(loss, false, vars)); }, cleanup: () => tf.dispose([x, y, ...vars]) };
    } });
  }
  list.push({ name: 'jax-wasm', setup: () => {
    const params = Object.values(SHAPES).map((s, i) => np.array(randomData(s.reduce((p, d) => p * d, 1), 30 + i, 0.1)).reshape(s));
    const x = np.array(xs).reshape([N, 1, 28, 28]);
    const y = np.array(oneHot(labels, 10)).reshape([N, 10]);
    const lossFn = (p: J[], xx: J, yy: J): J => {
      const [w1, b1, w2, b2, w3, b3] = p as [J, J, J, J, J, J];
      const h1 = jax.nn.relu(jax.lax.conv(xx, w1, [1, 1], 'SAME').add(b1.reshape([8, 1, 1])));
      const h2 = jax.nn.relu(jax.lax.conv(h1, w2, [2, 2], 'SAME').add(b2.reshape([16, 1, 1])));
      const logits = np.matmul(h2.reshape([N, 3136]), w3).add(b3);
      return np.mean(np.sum(yy.mul(jax.nn.logSoftmax(logits, -1)), -1)).mul(-1);
    };
    return jaxTrainStep(lossFn, params, x, y);
  } });
  return list;
}
