import { DTypeError, perParamAttr, readAdamStepAttrs, readSgdStepAttrs, type KernelConfig, type TensorInfo } from '@backstep/tensor';
import type { WebGpuBackend } from '../webgpu-backend.js';
import type { WebGpuData } from '../webgpu-data.js';
import { gpuBackend, WEBGPU } from './define.js';
import { f32Bits, grid, shader, type Binding } from './wgsl.js';

/**
 * Fused multi-tensor optimizer steps (optional kernels `'sgdStep'` and `'adamStep'`, used by
 * `@backstep/optim` when registered; see its README "Fused kernels"). Same inputs, attrs and
 * semantics as the CPU backend's: consecutive per-parameter tuples of inputs, hyperparameters as
 * attrs, per-parameter arrays in attrs. They WRITE the parameter and state buffers IN PLACE (the
 * optimizer made them exclusive first: copy-on-write) and return `[]`. One dispatch per parameter;
 * float32 arithmetic per operation with the scalars rounded to float32 (as PyTorch's float32 kernels
 * and the CPU backend's WASM SIMD loops), bias corrections computed in double on the host.
 */

/**
 * Splits the inputs into per-parameter tuples of `size` buffers, checking before anything is
 * recorded that each tuple is float32, of one element count, and that no written buffer (tuple
 * positions other than `read`) is bound twice or also read.
 */
function fusedTuples(gpu: WebGpuBackend, op: string, inputs: readonly TensorInfo[], size: number, read: number): WebGpuData[][] {
  if (inputs.length % size !== 0) {
    throw new TypeError(`${op}: expected inputs in tuples of ${size} per parameter, got ${inputs.length} inputs`);
  }
  const tuples: WebGpuData[][] = [];
  const written = new Set<GPUBuffer>();
  for (let i = 0; i < inputs.length; i += size) {
    const k = i / size;
    const infos = inputs.slice(i, i + size);
    const datas = infos.map((info) => {
      if (info.dtype !== 'float32') {
        throw new DTypeError(`${op}: expected float32 tensors on the webgpu backend, got ${info.dtype} (parameter ${k})`);
      }
      return gpu.get(info.dataId);
    });
    const n = (datas[0] as WebGpuData).length;
    if (datas.some((d) => d.length !== n)) throw new RangeError(`${op}: the tensors of parameter ${k} differ in size`);
    datas.forEach((d, j) => {
      if (j === read) return;
      if (written.has(d.buffer)) throw new Error(`${op}: a buffer written in place is bound twice (parameter ${k}); make the written tensors exclusive first`);
      written.add(d.buffer);
    });
    tuples.push(datas);
  }
  for (const t of tuples) {
    if (written.has((t[read] as WebGpuData).buffer)) throw new Error(`${op}: a gradient shares its buffer with a tensor the step writes in place`);
  }
  return tuples;
}

/** The elementwise main's prologue: scalars at `prm[1..]` as f32 constants. */
function scalars(names: readonly string[]): string {
  return names.map((n, k) => `  let ${n} = bitcast<f32>(prm[${k + 1}]);`).join('\n');
}

// ---- sgdStep --------------------------------------------------------------------------------

type SgdVariant = 'plain' | 'mom' | 'momFirst' | 'nest' | 'nestFirst';

function sgdSource(variant: SgdVariant): string {
  const momentum = variant !== 'plain';
  const first = variant.endsWith('First');
  const nesterov = variant.startsWith('nest');
  const outputs: Binding[] = [['p', 'f32']];
  if (momentum) outputs.push(['b', 'f32']);
  const body = [
    scalars(['sign', 'wd', 'mom', 'keep', 'lr']),
    '  let pi = p[i];',
    `  ${momentum ? 'var' : 'let'} d = sign * g[i] + wd * pi;`,
  ];
  if (momentum) {
    body.push(first ? '  let bi = d;' : '  let bi = mom * b[i] + keep * d;', '  b[i] = bi;');
    body.push(nesterov ? '  d = d + mom * bi;' : '  d = bi;');
  }
  body.push('  p[i] = pi - lr * d;');
  return shader({ inputs: [['g', 'f32']], outputs, body: body.join('\n') });
}

/**
 * `sgdStep`: inputs per parameter `[param, grad]`, or `[param, grad, momentumBuffer]` when
 * `momentum != 0`; attrs `lr, momentum, dampening, weightDecay, nesterov, maximize` and
 * `firstStep: boolean[]` (the buffer is new: it becomes `d`). Per element (torch 1.13
 * `_single_tensor_sgd`): `d = ±g + wd·p; b = first ? d : momentum·b + (1 - dampening)·d;
 * d = nesterov ? d + momentum·b : b; p -= lr·d`. Writes `param` and `momentumBuffer` in place.
 */
export const sgdStepKernel: KernelConfig = {
  kernelName: 'sgdStep',
  backendName: WEBGPU,
  kernelFunc: ({ inputs, attrs, backend }) => {
    const op = 'sgdStep';
    const gpu = gpuBackend(backend, op);
    const { lr, momentum, dampening, wd, nesterov, sign } = readSgdStepAttrs(attrs);
    const size = momentum !== 0 ? 3 : 2;
    const tuples = fusedTuples(gpu, op, inputs, size, 1);
    const first = perParamAttr<boolean>(op, attrs, 'firstStep', tuples.length);
    const words = [sign, wd, momentum, 1 - dampening, lr].map(f32Bits);
    tuples.forEach(([p, g, b], k) => {
      const variant: SgdVariant = b === undefined ? 'plain' : `${nesterov ? 'nest' : 'mom'}${first[k] === true ? 'First' : ''}`;
      const n = (p as WebGpuData).length;
      gpu.dispatch({
        key: `sgdStep:${variant}`,
        source: () => sgdSource(variant),
        inputs: [g as WebGpuData],
        outputs: b === undefined ? [p as WebGpuData] : [p as WebGpuData, b],
        meta: [n, ...words],
        workgroups: grid(n),
      });
    });
    return [];
  },
};

// ---- adamStep -------------------------------------------------------------------------------

function adamSource(amsgrad: boolean): string {
  const outputs: Binding[] = [['p', 'f32'], ['m', 'f32'], ['v', 'f32']];
  if (amsgrad) outputs.push(['vmax', 'f32']);
  const body = [
    scalars(['sign', 'l2', 'decay', 'beta1', 'beta2', 'omb1', 'omb2', 'eps', 'stepSize', 'invBc2Sqrt']),
    '  let pi = p[i];',
    '  let gi = sign * g[i] + l2 * pi;',
    '  let mi = beta1 * m[i] + omb1 * gi;',
    '  var vi = beta2 * v[i] + (omb2 * gi) * gi;',
    '  m[i] = mi;',
    '  v[i] = vi;',
  ];
  if (amsgrad) {
    // max propagating NaN (WGSL's max may return either operand for NaN)
    body.push('  let vm = vmax[i];', '  vi = select(select(vi, vm, vm > vi), f_nan(), is_nan(vm) || is_nan(vi));', '  vmax[i] = vi;');
  }
  body.push('  p[i] = pi * decay - (stepSize * mi) / (sqrt(vi) * invBc2Sqrt + eps);');
  return shader({ inputs: [['g', 'f32']], outputs, body: body.join('\n') });
}

/**
 * `adamStep`: inputs per parameter `[param, grad, expAvg, expAvgSq]`, plus `maxExpAvgSq` when
 * `amsgrad`; attrs `lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay`
 * (AdamW: `p *= 1 - lr·wd` instead of adding `wd·p` to the gradient) and `step: number[]` (the
 * step count including this step). Per element (torch 1.13 `_single_tensor_adam(w)`):
 * `g = ±grad (+ wd·p); m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g·g; (amsgrad: vmax = max(vmax, v));
 * p = p·decay - stepSize·m / (sqrt(v)·invBc2Sqrt + eps)` with `stepSize = lr / (1-β1^t)` and
 * `invBc2Sqrt = 1 / sqrt(1-β2^t)` in double. Writes `param` and the state buffers in place.
 */
export const adamStepKernel: KernelConfig = {
  kernelName: 'adamStep',
  backendName: WEBGPU,
  kernelFunc: ({ inputs, attrs, backend }) => {
    const op = 'adamStep';
    const gpu = gpuBackend(backend, op);
    const { lr, beta1, beta2, eps, wd, amsgrad, decoupled, sign } = readAdamStepAttrs(attrs);
    const tuples = fusedTuples(gpu, op, inputs, amsgrad ? 5 : 4, 1);
    const steps = perParamAttr<number>(op, attrs, 'step', tuples.length);
    tuples.forEach(([p, g, m, v, vmax], k) => {
      const step = steps[k] as number;
      const words = [
        sign,
        decoupled ? 0 : wd,
        decoupled ? 1 - lr * wd : 1,
        beta1,
        beta2,
        1 - beta1,
        1 - beta2,
        eps,
        lr / (1 - Math.pow(beta1, step)),
        1 / Math.sqrt(1 - Math.pow(beta2, step)),
      ].map(f32Bits);
      const n = (p as WebGpuData).length;
      const outputs = [p, m, v, vmax].filter((d): d is WebGpuData => d !== undefined);
      gpu.dispatch({
        key: `adamStep:${amsgrad ? 'amsgrad' : 'plain'}`,
        source: () => adamSource(amsgrad),
        inputs: [g as WebGpuData],
        outputs,
        meta: [n, ...words],
        workgroups: grid(n),
      });
    });
    return [];
  },
};

