/**
 * The benchmark cases, each a list of contenders (Backstep and the peers) timed interleaved by
 * `race`: matmul, an MLP training step, a small CNN training step and optimizer steps.
 */
import * as B from '@backstep/backstep';
import { jax, jaxTrainStep, oneHot, randomData, randomLabels, tf, useTf } from './peers.js';
import type { Contender } from './timing.js';

type J = jax.numpy.Array;
const np = jax.numpy;

/** Sets the CPU backend's thread count (1 = this thread only). */
export function setThreads(n: number): void {
  (B.getEngine().getBackend('cpu') as B.CpuBackend).setThreads(n);
}

/** Backstep contenders at 1 thread and at `threads` threads. */
function backstep(threads: number, make: () => { run: () => void; cleanup?: () => void }): Contender[] {
  const out: Contender[] = [{ name: 'backstep-1t', setup: () => { setThreads(1); const s = make(); return { run: () => { setThreads(1); s.run(); }, cleanup: s.cleanup }; } }];
  if (threads > 1) out.push({ name: `backstep-${threads}t`, setup: () => { setThreads(threads); const s = make(); return { run: () => { setThreads(threads); s.run(); }, cleanup: s.cleanup }; } });
  return out;
}

/** n×n float32 matmul (result read back). */
export function matmulCase(n: number, threads: number): Contender[] {
  const a = randomData(n * n, 1);
  const b = randomData(n * n, 2);
  const list: Contender[] = backstep(threads, () => {
    const x = B.tensor(a, { shape: [n, n] });
    const y = B.tensor(b, { shape: [n, n] });
    return { run: () => { const z = B.matmul(x, y); z.dataSync(); z.dispose(); }, cleanup: () => B.dispose(x, y) };
  });
  for (const backend of n <= 512 ? (['cpu', 'wasm'] as const) : (['wasm'] as const)) {
    list.push({ name: `tfjs-${backend}`, setup: async () => {
      await useTf(backend);
      const x = tf.tensor2d(a, [n, n]);
      const y = tf.tensor2d(b, [n, n]);
      return { run: async () => { await useTf(backend); const z = tf.matMul(x, y); z.dataSync(); z.dispose(); }, cleanup: () => tf.dispose([x, y]) };
    } });
  }
  list.push({ name: 'jax-wasm', setup: () => {
    const x = np.array(a).reshape([n, n]);
    const y = np.array(b).reshape([n, n]);
    return { run: () => { const z = np.matmul(x.ref, y.ref); z.dataSync(); }, cleanup: () => { x.dispose(); y.dispose(); } };
  } });
  return list;
}

const MLP = [784, 256, 256, 10];
const BATCH = 128;

/** One training step (forward, cross-entropy, backward, Adam) of the 784-256-256-10 MLP, batch 128. */
export function mlpCase(threads: number): Contender[] {
  const xs = randomData(BATCH * 784, 3);
  const labels = randomLabels(BATCH, 10, 4);
  const list: Contender[] = backstep(threads, () => {
    const model = new B.nn.Sequential(new B.nn.Linear(784, 256), new B.nn.ReLU(), new B.nn.Linear(256, 256), new B.nn.ReLU(), new B.nn.Linear(256, 10));
    const opt = new B.Adam(model.parameters(), { lr: 1e-3 });
    const lossFn = new B.nn.CrossEntropyLoss();
    const x = B.tensor(xs, { shape: [BATCH, 784] });
    const y = B.tensor(labels, { shape: [BATCH], dtype: 'int32' });
    return {
      run: () => B.tidy(() => { opt.zeroGrad(); lossFn.call(model.call(x), y).backward(); opt.step(); }),
      cleanup: () => B.dispose(x, y),
    };
  });
  for (const backend of ['cpu', 'wasm'] as const) {
    list.push({ name: `tfjs-${backend}`, setup: async () => {
      await useTf(backend);
      const vars = weights(MLP, (shape, seed) => tf.variable(tf.tensor(randomData(shape.reduce((p, d) => p * d, 1), seed, 0.05), shape)));
      const x = tf.tensor2d(xs, [BATCH, 784]);
      const y = tf.tensor2d(oneHot(labels, 10), [BATCH, 10]);
      const opt = tf.train.adam(1e-3);
      const loss = (): tf.Scalar => {
        let h: tf.Tensor = x;
        for (let l = 0; l < 3; l++) {
          h = tf.add(tf.matMul(h, vars[2 * l] as tf.Tensor), vars[2 * l + 1] as tf.Tensor);
          if (l < 2) h = tf.relu(h);
        }
        return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
      };
      return { run: async () => { await useTf(backend); tf.dispose(opt.minimize(loss, false, vars)); }, cleanup: () => tf.dispose([x, y, ...vars]) };
    } });
  }
  list.push({ name: 'jax-wasm', setup: () => {
    const params = weights(MLP, (shape, seed) => np.array(randomData(shape.reduce((p, d) => p * d, 1), seed, 0.05)).reshape(shape));
    const x = np.array(xs).reshape([BATCH, 784]);
    const y = np.array(oneHot(labels, 10)).reshape([BATCH, 10]);
    const lossFn = (p: J[], xx: J, yy: J): J => {
      let h = xx;
      for (let l = 0; l < 3; l++) {
        h = np.matmul(h, p[2 * l] as J).add(p[2 * l + 1] as J);
        if (l < 2) h = jax.nn.relu(h);
      }
      return np.mean(np.sum(yy.mul(jax.nn.logSoftmax(h, -1)), -1)).mul(-1);
    };
    return jaxTrainStep(lossFn, params, x, y);
  } });
  return list;
}

/** Weights and biases of a dense stack, in order [w0, b0, w1, b1, ...]. */
function weights<T>(sizes: number[], make: (shape: number[], seed: number) => T): T[] {
  const out: T[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    out.push(make([sizes[l] as number, sizes[l + 1] as number], 10 + l), make([sizes[l + 1] as number], 20 + l));
  }
  return out;
}

export { cnnCase } from './cnn.js';
