import { perParamAttr, readSgdStepAttrs, type KernelConfig } from '@backstep/tensor';
import { CPU } from './define.js';
import { claimSources, fusedTuples, type FloatArray } from './fused-common.js';
import { cpuBackend } from './kernel-utils.js';
import { wasmStreamF32 } from '../wasm/elementwise.js';

/**
 * Fused multi-tensor SGD step (optional kernel `'sgdStep'`, used by `@backstep/optim`).
 *
 * Inputs: per parameter `[param, grad]`, or `[param, grad, momentumBuffer]` when `momentum != 0`.
 * Attrs: `lr, momentum, dampening, weightDecay` (numbers), `nesterov, maximize` (booleans),
 * `firstStep: boolean[]` (per parameter: the buffer is new, so it becomes `d` instead of decaying).
 * Per element (torch 1.13 `_single_tensor_sgd`); float32 tensors run through a WASM SIMD loop in
 * float32 arithmetic where available, otherwise (and for float64) in double precision:
 * `d = ±g + wd·p; b = first ? d : momentum·b + (1 - dampening)·d; d = nesterov ? d + momentum·b : b;
 * p -= lr·d`. Writes `param` and `momentumBuffer` IN PLACE (the caller made them exclusive) and
 * returns no outputs.
 */
export const sgdStepKernel: KernelConfig = {
  kernelName: 'sgdStep',
  backendName: CPU,
  kernelFunc: ({ inputs, attrs, backend }) => {
    const op = 'sgdStep';
    const cpu = cpuBackend(backend, op);
    const { lr, momentum, dampening, wd, nesterov, sign } = readSgdStepAttrs(attrs);
    const tuples = fusedTuples(cpu, op, inputs, momentum !== 0 ? 3 : 2);
    const first = perParamAttr<boolean>(op, attrs, 'firstStep', tuples.length);
    const size = momentum !== 0 ? 3 : 2;
    const sources = claimSources(cpu, inputs, size, size === 3 ? [0, 2] : [0]);
    tuples.forEach((t, k) => {
      const [p, g, b] = t as [FloatArray, FloatArray, FloatArray | undefined];
      // carry out pending lazy copies (SGD runs in place)
      const src = sources[k] as FloatArray[];
      if (src[0] !== p) p.set(src[0] as FloatArray);
      if (b !== undefined && src[2] !== b) b.set(src[2] as FloatArray);
      if (p instanceof Float32Array) {
        const isFirst = first[k] === true;
        const variant = b === undefined ? 'plain' : `${nesterov ? 'nest' : 'mom'}${isFirst ? 'First' : ''}`;
        const arrays = [p, g as Float32Array, (b ?? p) as Float32Array];
        if (wasmStreamF32(`sgd_${variant}`, b === undefined ? arrays.slice(0, 2) : arrays, [true, false, true], [sign, wd, momentum, 1 - dampening, lr], 3)) return;
      }
      if (b === undefined) sgdPlain(p, g, lr, wd, sign);
      else sgdMomentum(p, g, b, lr, wd, sign, momentum, 1 - dampening, nesterov, first[k] === true);
    });
    return [];
  },
};

function sgdPlain(p: FloatArray, g: FloatArray, lr: number, wd: number, sign: number): void {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    p[i] = pi - lr * (sign * (g[i] as number) + wd * pi);
  }
}

function sgdMomentum(
  p: FloatArray, g: FloatArray, b: FloatArray, lr: number, wd: number, sign: number,
  momentum: number, keep: number, nesterov: boolean, first: boolean,
): void {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const d = sign * (g[i] as number) + wd * pi;
    b[i] = first ? d : momentum * (b[i] as number) + keep * d;
    const bi = b[i] as number;
    p[i] = pi - lr * (nesterov ? d + momentum * bi : bi);
  }
}
