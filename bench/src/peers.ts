/**
 * The peers, set up in this process: TensorFlow.js with its `cpu` and `wasm` backends (the wasm
 * backend's .wasm files are loaded from node_modules via `setWasmPaths`), and jax-js on its
 * `wasm` device. Each `use*` call makes that runtime current before a contender runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as jax from '@jax-js/jax';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

export { tf, jax };

/** Loads the tfjs wasm backend and jax-js; returns a description of what runs. */
export async function initPeers(): Promise<string> {
  const req = createRequire(import.meta.url);
  setWasmPaths(`${dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  // tfjs-core's CommonJS build has no gradients and its ES build cannot be imported by Node
  // directly: bundle `register_all_gradients` (its registry is a global, shared with the CJS build)
  const gradients = buildSync({ entryPoints: [req.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const file = join(tmpdir(), `tfjs-gradients-${process.pid}.mjs`);
  writeFileSync(file, gradients.outputFiles[0]?.text ?? '');
  await import(pathToFileURL(file).href);
  await tf.setBackend('wasm');
  await tf.ready();
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  return `tfjs-core ${tf.version_core} (cpu, wasm: ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'}, ` +
    `${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : 'no threads'}), jax-js (wasm)`;
}

/** Makes a tfjs backend current (no-op when it already is). */
export async function useTf(backend: 'cpu' | 'wasm'): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

/** Deterministic uniform values in [-scale, scale). */
export function randomData(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}

/** Random class labels in [0, classes). */
export function randomLabels(n: number, classes: number, seed: number): Int32Array {
  return Int32Array.from(randomData(n, seed), (v) => Math.min(classes - 1, Math.floor((v + 1) / 2 * classes)));
}

/** One-hot rows for `labels`. */
export function oneHot(labels: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((l, i) => (out[i * classes + l] = 1));
  return out;
}

type J = jax.numpy.Array;

/** A jitted jax-js Adam update of a list of arrays: (params, grads, m, v, t) → [params, m, v]. */
export function jaxAdam(lr: number): (p: J[], g: J[], m: J[], v: J[], t: number) => [J[], J[], J[]] {
  const np = jax.numpy;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const update = jax.jit((p: J, g: J, m: J, v: J, step: J, inv: J) => {
    const m2 = m.mul(b1).add(g.ref.mul(1 - b1));
    const v2 = v.mul(b2).add(g.ref.mul(g).mul(1 - b2));
    const denom = np.sqrt(v2.ref).mul(inv).add(eps);
    const p2 = p.sub(m2.ref.mul(step).div(denom));
    return [p2, m2, v2];
  });
  return (p, g, m, v, t) => {
    const out: [J[], J[], J[]] = [[], [], []];
    const stepSize = lr / (1 - b1 ** t);
    const inv = 1 / Math.sqrt(1 - b2 ** t);
    p.forEach((pi, i) => {
      const [a, b, d] = update(pi, g[i] as J, m[i] as J, v[i] as J, np.array(stepSize), np.array(inv)) as unknown as [J, J, J];
      out[0].push(a);
      out[1].push(b);
      out[2].push(d);
    });
    return out;
  };
}

/**
 * A jax-js training step for a race contender: jitted value-and-grad of `lossFn(params, x, y)`
 * followed by the Adam update above at lr 1e-3 (state zero-initialised here).
 */
export function jaxTrainStep(lossFn: (p: J[], x: J, y: J) => J, initial: J[], x: J, y: J): { run: () => Promise<void>; cleanup: () => void } {
  const np = jax.numpy;
  let params = initial;
  let m = params.map((p) => np.zerosLike(p.ref));
  let v = params.map((p) => np.zerosLike(p.ref));
  const vg = jax.jit(jax.valueAndGrad(lossFn));
  const adam = jaxAdam(1e-3);
  let t = 0;
  return {
    run: async () => {
      const [loss, grads] = vg(params.map((p) => p.ref), x.ref, y.ref) as unknown as [J, J[]];
      [params, m, v] = adam(params, grads, m, v, ++t);
      loss.dispose();
      await jax.blockUntilReady(params);
    },
    cleanup: () => { x.dispose(); y.dispose(); },
  };
}
