import { checkAxis, type KernelConfig, splitAtAxis } from '@backstep/tensor';
import { defineKernel } from './define.js';
import { assertDTypeIn, cpuBackend } from './kernel-utils.js';
import { wasmSoftmaxF32 } from '../wasm/elementwise.js';

/**
 * softmax / logSoftmax along `axis`, max-subtracted so large inputs do not overflow; computed in
 * double and stored in x's float dtype (float32 along the last axis: a WASM SIMD pass in float32
 * arithmetic where available). A row of all -Infinity gives NaN, as in PyTorch.
 */
function makeSoftmaxKernel(name: 'softmax' | 'logSoftmax'): KernelConfig {
  const log = name === 'logSoftmax';
  return defineKernel(name, ({ inputs, attrs, backend }) => {
    const cpu = cpuBackend(backend, name);
    const x = inputs[0];
    if (x === undefined) throw new TypeError(`${name}: expected one input`);
    assertDTypeIn(name, x.dtype, ['float32', 'float64'], 'cast to float first');
    const { axis } = attrs;
    checkAxis(name, axis, x.shape.length, true);
    const { outer, size, inner } = splitAtAxis(x.shape, axis);
    const xv = cpu.dataOf(x);
    if (x.dtype === 'float32' && inner === 1) {
      const out32 = cpu.alloc('float32', xv.length) as Float32Array;
      if (wasmSoftmaxF32(log, xv as Float32Array, size, out32)) return cpu.makeOutput(out32, x.shape, x.dtype);
    }
    const out = cpu.alloc(x.dtype, xv.length);
    const row = new Float64Array(size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * size * inner + j;
        let m = -Infinity;
        for (let k = 0; k < size; k++) {
          const v = xv[base + k * inner] as number;
          row[k] = v;
          if (v > m || v !== v) m = v;
        }
        let s = 0;
        for (let k = 0; k < size; k++) s += Math.exp((row[k] as number) - m);
        if (log) {
          const ls = Math.log(s);
          for (let k = 0; k < size; k++) out[base + k * inner] = (row[k] as number) - m - ls;
        } else {
          for (let k = 0; k < size; k++) out[base + k * inner] = Math.exp((row[k] as number) - m) / s;
        }
      }
    }
    return cpu.makeOutput(out, x.shape, x.dtype);
  });
}

/** softmax along an axis. */
export const softmaxKernel: KernelConfig = makeSoftmaxKernel('softmax');

/** log-softmax along an axis. */
export const logSoftmaxKernel: KernelConfig = makeSoftmaxKernel('logSoftmax');
