import { perParamAttr, readAdamStepAttrs, type KernelConfig } from '@backstep/tensor';
import { CPU } from './define.js';
import { claimSources, fusedTuples, type FloatArray } from './fused-common.js';
import { streamAdamF32, type AdamScalars } from './fused-adam-stream.js';
import { cpuBackend } from './kernel-utils.js';
import { fitsHeap, heapAdamF32, type HeapAdamItem } from './fused-adam-heap.js';

/**
 * Fused multi-tensor Adam / AdamW step (optional kernel `'adamStep'`, used by `@backstep/optim`).
 *
 * Inputs: per parameter `[param, grad, expAvg, expAvgSq]`, plus `maxExpAvgSq` when `amsgrad`.
 * Attrs: `lr, beta1, beta2, eps, weightDecay` (numbers), `amsgrad, maximize, decoupledWeightDecay`
 * (booleans; `decoupledWeightDecay` is AdamW: `p *= 1 - lr·wd` instead of adding `wd·p` to the
 * gradient), `step: number[]` (per parameter, the step count including this step).
 * Per element (torch 1.13 `_single_tensor_adam(w)`); float32 tensors run through a WebAssembly
 * SIMD loop in float32 arithmetic where the runtime has WASM SIMD — in place in the tensor heap,
 * split over the worker pool when large (`fused-adam-heap.ts`), or streamed through the WASM
 * scratch heap for host arrays (`fused-adam-stream.ts`) — else
 * (and for float64) a scalar loop in double precision:
 * `g = ±grad (+ wd·p); m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; (amsgrad: vmax = max(vmax, v));
 * p -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + eps)`, bias corrections in double from `step`.
 * Writes `param` and the state buffers IN PLACE (the caller made them exclusive); no outputs. A
 * buffer that is a pending lazy copy (`ensureExclusive` of a buffer shared with a snapshot) is
 * written out of place: the step reads the shared source and writes the copy in one pass.
 */
export const adamStepKernel: KernelConfig = {
  kernelName: 'adamStep',
  backendName: CPU,
  kernelFunc: ({ inputs, attrs, backend }) => {
    const op = 'adamStep';
    const cpu = cpuBackend(backend, op);
    const { lr, beta1, beta2, eps, wd, amsgrad, decoupled, sign } = readAdamStepAttrs(attrs);
    const tuples = fusedTuples(cpu, op, inputs, amsgrad ? 5 : 4);
    const steps = perParamAttr<number>(op, attrs, 'step', tuples.length);
    const sources = claimSources(cpu, inputs, amsgrad ? 5 : 4, amsgrad ? [0, 2, 3, 4] : [0, 2, 3]);
    const inHeap: HeapAdamItem[] = [];
    tuples.forEach((t, k) => {
      const step = steps[k] as number;
      const c: AdamScalars = {
        sign,
        l2: decoupled ? 0 : wd,
        decay: decoupled ? 1 - lr * wd : 1,
        beta1,
        beta2,
        eps,
        stepSize: lr / (1 - Math.pow(beta1, step)),
        invBc2Sqrt: 1 / Math.sqrt(1 - Math.pow(beta2, step)),
      };
      const [p, g, m, v, vmax] = t as [FloatArray, FloatArray, FloatArray, FloatArray, FloatArray | undefined];
      const src = sources[k] as FloatArray[];
      if (p instanceof Float32Array) {
        const f = src as Float32Array[];
        const item: HeapAdamItem = {
          dst: [p, m as Float32Array, v as Float32Array, vmax as Float32Array | undefined],
          src: [f[0] as Float32Array, f[2] as Float32Array, f[3] as Float32Array, vmax === undefined ? undefined : f[4]],
          grad: f[1] as Float32Array,
          c,
        };
        if (fitsHeap(item)) {
          inHeap.push(item);
          return;
        }
      }
      if (p instanceof Float32Array && streamAdamF32(p, src[1] as Float32Array, m as Float32Array, v as Float32Array, vmax, c, src as Float32Array[])) return;
      // in place: carry out the pending copies first
      [p, undefined, m, v, vmax].forEach((a, i) => { if (a !== undefined && src[i] !== a) a.set(src[i] as FloatArray); });
      if (vmax === undefined && c.sign === 1 && c.l2 === 0 && c.decay === 1) adamPlainLoop(p, g, m, v, c);
      else adamLoop(p, g, m, v, vmax, c);
    });
    heapAdamF32(inHeap);
    return [];
  },
};

/** The common case (no weight decay, no maximize) with the fewest operations per element. */
function adamPlainLoop(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, c: AdamScalars): void {
  const { beta1, beta2, eps, stepSize, invBc2Sqrt } = c;
  const omb1 = 1 - beta1;
  const omb2 = 1 - beta2;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = beta1 * (m[i] as number) + omb1 * gi;
    const vi = beta2 * (v[i] as number) + omb2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = (p[i] as number) - (stepSize * mi) / (Math.sqrt(vi) * invBc2Sqrt + eps);
  }
}

/** The general case: maximize, L2 or decoupled weight decay, and amsgrad when `vmax` is given. */
function adamLoop(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vmax: FloatArray | undefined, c: AdamScalars): void {
  const { sign, l2, decay, beta1, beta2, eps, stepSize, invBc2Sqrt } = c;
  const omb1 = 1 - beta1;
  const omb2 = 1 - beta2;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const gi = sign * (g[i] as number) + l2 * pi;
    const mi = beta1 * (m[i] as number) + omb1 * gi;
    const vi = beta2 * (v[i] as number) + omb2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    let denomV = v[i] as number;
    if (vmax !== undefined) {
      vmax[i] = Math.max(vmax[i] as number, denomV);
      denomV = vmax[i] as number;
    }
    p[i] = pi * decay - (stepSize * mi) / (Math.sqrt(denomV) * invBc2Sqrt + eps);
  }
}
