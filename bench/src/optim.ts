/**
 * Optimizer steps over one flat parameter of `n` float32 elements (Adam, SGD with momentum), and
 * back-stepping snapshots (History commit/backStep of a parameter + Adam state) against the
 * typed-array copy of the same bytes.
 */
import * as B from '@backstep/backstep';
import { jax, jaxAdam, randomData, tf, useTf } from './peers.js';
import type { Contender } from './timing.js';
import { setThreads } from './cases.js';

type J = jax.numpy.Array;
const np = jax.numpy;

/** Adam (or SGD with momentum 0.9) steps over `n` parameters, Backstep on one and on `threads` threads. */
export function optimCase(kind: 'adam' | 'sgd', n: number, threads: number): Contender[] {
  const p0 = randomData(n, 7);
  const g0 = randomData(n, 8, 0.01);
  const backstep = (t: number): Contender => ({ name: `backstep-${t}t`, setup: () => {
    const p = new B.Parameter(B.tensor(p0));
    p.grad = B.tensor(g0);
    const opt = kind === 'adam' ? new B.Adam([p], { lr: 1e-3 }) : new B.SGD([p], { lr: 1e-3, momentum: 0.9 });
    return { run: () => { setThreads(t); opt.step(); }, cleanup: () => p.dispose() };
  } });
  const list: Contender[] = [backstep(1)];
  if (threads > 1) list.push(backstep(threads));
  list.push({ name: 'tfjs-wasm', setup: async () => {
    await useTf('wasm');
    const p = tf.variable(tf.tensor1d(p0));
    const g = tf.tensor1d(g0);
    const opt = kind === 'adam' ? tf.train.adam(1e-3) : tf.train.momentum(1e-3, 0.9);
    return { run: async () => { await useTf('wasm'); opt.applyGradients({ [p.name]: g }); }, cleanup: () => tf.dispose([p, g]) };
  } });
  list.push({ name: 'jax-wasm', setup: () => {
    const g = np.array(g0);
    let p = [np.array(p0)];
    if (kind === 'adam') {
      let m = [np.zerosLike(g.ref)];
      let v = [np.zerosLike(g.ref)];
      const adam = jaxAdam(1e-3);
      let t = 0;
      return { run: async () => { [p, m, v] = adam(p, [g.ref], m, v, ++t); await jax.blockUntilReady(p); } };
    }
    let buf = np.zerosLike(g.ref);
    const sgd = jax.jit((pp: J, gg: J, b: J) => {
      const b2 = b.mul(0.9).add(gg);
      return [pp.sub(b2.ref.mul(1e-3)), b2];
    });
    return { run: async () => { [p[0], buf] = sgd(p[0] as J, g.ref, buf) as unknown as [J, J]; await jax.blockUntilReady(p); } };
  } });
  return list;
}

/**
 * History snapshot + restore of `n` parameters with Adam state, as the extra time of an Adam
 * step that follows `commit()` (copy-on-write of param, expAvg, expAvgSq) and of one that
 * follows `backStep()`, against `Float32Array.set` of the same 12·n bytes.
 */
export function snapshotCase(n: number): Contender[] {
  class Flat extends B.Module {
    w = new B.Parameter(B.tensor(randomData(n, 9)));
  }
  const model = new Flat();
  model.w.grad = B.tensor(randomData(n, 10, 0.01));
  const opt = new B.Adam([model.w], { lr: 1e-3 });
  opt.step();
  const history = new B.History({ model, optimizer: opt }, { capacity: 2 });
  const src = new Float32Array(3 * n).fill(1);
  const dst = new Float32Array(3 * n);
  return [
    { name: 'copy', setup: () => ({ run: () => dst.set(src) }) },
    { name: 'step', setup: () => ({ run: () => opt.step() }) },
    { name: 'commit+step', setup: () => ({ run: () => { history.commit(); opt.step(); } }) },
    { name: 'backStep+step', setup: () => ({ run: () => { history.commit(); opt.step(); history.backStep(); opt.step(); } }) },
  ];
}
