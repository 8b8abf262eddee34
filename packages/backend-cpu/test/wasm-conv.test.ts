/**
 * The WASM im2col/col2im plane loops (float32 tensors in the WebAssembly heap) against the
 * TypeScript loops (host arrays) and against hand-derived invariants, over strides, paddings,
 * dilations and non-square shapes.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type Tensor } from '@backstep/tensor';
import { CpuBackend, registerCpuBackend } from '../src/index.js';
import { rand } from './seeded-random.js';

const engine = new Engine();
registerCpuBackend(engine);
const cpu = engine.getBackend('cpu') as CpuBackend;

interface Geometry {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

const GEOMETRIES: [string, [number, number, number, number], Geometry][] = [
  ['3x3 pad 1', [2, 3, 17, 19], { kernelSize: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] }],
  ['3x3 stride 2 pad 1', [2, 4, 28, 28], { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1] }],
  ['2x5 stride (3, 2) pad (0, 2) dilation (2, 1)', [1, 2, 23, 31], { kernelSize: [2, 5], stride: [3, 2], padding: [0, 2], dilation: [2, 1] }],
  ['5x5 pad 4 (taps past both edges)', [1, 1, 40, 30], { kernelSize: [5, 5], stride: [1, 1], padding: [4, 4], dilation: [1, 1] }],
];

/** Runs a kernel with the tensor heap on (WASM loops) or off (TypeScript loops); returns its values. */
function runWith(heap: boolean, name: 'im2col' | 'col2im', data: Float32Array, shape: number[], attrs: Record<string, unknown>): Float32Array {
  cpu.setWasmHeap(heap);
  try {
    const x = engine.makeTensor(data, shape, 'float32');
    const inHeap = cpu.get(x.dataId).peek().buffer instanceof SharedArrayBuffer;
    expect(inHeap).toBe(heap);
    const y: Tensor = engine.runKernel(name, [x], attrs)[0] as Tensor;
    const out = y.dataSync() as Float32Array;
    x.dispose();
    y.dispose();
    return out;
  } finally {
    cpu.setWasmHeap(true);
  }
}

describe('WASM im2col / col2im', () => {
  it.each(GEOMETRIES)('im2col %s: the same bits as the TypeScript loop', (_, shape, g) => {
    const data = rand(shape.reduce((a, b) => a * b, 1), 3);
    const attrs = { ...g, padValue: 0.5 };
    expect(runWith(true, 'im2col', data, shape, attrs)).toEqual(runWith(false, 'im2col', data, shape, attrs));
  });

  it.each(GEOMETRIES)('col2im %s: within float32 rounding of the double-precision loop', (_, [n, c, h, w], g) => {
    const [kh, kw] = g.kernelSize;
    const outH = Math.floor((h + 2 * g.padding[0] - g.dilation[0] * (kh - 1) - 1) / g.stride[0]) + 1;
    const outW = Math.floor((w + 2 * g.padding[1] - g.dilation[1] * (kw - 1) - 1) / g.stride[1]) + 1;
    const colShape = [n, c * kh * kw, outH * outW];
    const data = rand(colShape.reduce((a, b) => a * b, 1), 5);
    const attrs = { ...g, outputSize: [h, w] };
    const fast = runWith(true, 'col2im', data, colShape, attrs);
    const exact = runWith(false, 'col2im', data, colShape, attrs);
    for (let i = 0; i < exact.length; i++) expect(Math.abs(fast[i]! - exact[i]!)).toBeLessThanOrEqual(4e-7 * (kh * kw) + 1e-7);
  });

  it('col2im of ones counts the windows covering each pixel; col2im(im2col(x)) = x without overlap', () => {
    // 3×3 taps, stride 1, padding 1 over a 4×5 image: an interior pixel is covered 9 times,
    // an edge pixel 6, a corner 4
    const attrs = { kernelSize: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], outputSize: [40, 50] };
    const counts = runWith(true, 'col2im', new Float32Array(9 * 40 * 50).fill(1), [1, 9, 40 * 50], attrs);
    expect([counts[0], counts[1], counts[50], counts[51], counts[49], counts[40 * 50 - 1]]).toEqual([4, 6, 6, 9, 4, 4]);
    // 2×2 taps with stride 2 partition a 32×32 image: fold(unfold(x)) = x exactly
    const x = rand(2 * 3 * 32 * 32, 9);
    const g = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] };
    const cols = runWith(true, 'im2col', x, [2, 3, 32, 32], { ...g, padValue: 0 });
    expect(runWith(true, 'col2im', cols, [2, 12, 256], { ...g, outputSize: [32, 32] })).toEqual(x);
  });
});
