import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerAutograd, noGrad } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Linear, ReLU, Sequential } from '@backstep/nn';
import { tensor } from '@backstep/tensor';
import { decodeSafetensors, encodeSafetensors, hostToTensor, SafetensorsError, type HostTensor } from '../src/index.js';
import { compareTensor, goldenRoot, makeTensor, type GoldenTensor, type Tol } from '../../../tools/testing/golden.js';

beforeAll(() => {
  registerCpuBackend();
  registerAutograd();
});

const golden = () => readFileSync(join(goldenRoot(), 'interop/mlp.safetensors'));
const goldenCase = () => JSON.parse(readFileSync(join(goldenRoot(), 'interop/mlp.json'), 'utf8')) as {
  keys: Record<string, number[]>; input: GoldenTensor; expectedOutput: GoldenTensor; tolerance: Tol | { float32: Tol };
};

describe('safetensors', () => {
  it('round-trips every dtype with metadata', () => {
    const tensors: Array<[string, HostTensor]> = [
      ['a', { dtype: 'float32', shape: [2, 2], values: new Float32Array([1, -2.5, 3e-8, Infinity]) }],
      ['b.c', { dtype: 'float64', shape: [3], values: new Float64Array([0.1, NaN, -0]) }],
      ['i', { dtype: 'int32', shape: [], values: new Int32Array([-7]) }],
      ['m', { dtype: 'bool', shape: [2], values: new Uint8Array([1, 0]) }],
      ['empty', { dtype: 'float32', shape: [0, 3], values: new Float32Array(0) }],
    ];
    const bytes = encodeSafetensors(tensors, { note: 'hi' });
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ note: 'hi' });
    expect([...back.tensors.keys()]).toEqual(tensors.map(([k]) => k));
    for (const [k, t] of tensors) {
      const got = back.tensors.get(k)!;
      expect(got.dtype).toBe(t.dtype);
      expect(got.shape).toEqual(t.shape);
      expect(Array.from(got.values)).toEqual(Array.from(t.values));
    }
  });

  it('loads the PyTorch-written MLP and reproduces PyTorch\'s output', () => {
    const c = goldenCase();
    const content = decodeSafetensors(golden());
    expect(content.metadata.format).toBe('pt');
    const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
    const sd: Record<string, ReturnType<typeof hostToTensor>> = {};
    for (const [k, h] of content.tensors) {
      expect(h.shape).toEqual(c.keys[k]);
      sd[k] = hostToTensor(h);
    }
    model.loadStateDict(sd);
    const out = noGrad(() => model.forward(makeTensor(c.input, 'float32')));
    const tol = 'float32' in c.tolerance ? c.tolerance.float32 : c.tolerance;
    expect(compareTensor(out, c.expectedOutput, tol, 'output')).toBeNull();
  });

  it('writes byte-for-byte what PyTorch\'s safetensors writer wrote', () => {
    const content = decodeSafetensors(golden());
    const again = encodeSafetensors(content.tensors, content.metadata);
    expect(Buffer.from(again).equals(golden())).toBe(true);
  });

  it('rejects truncated, corrupted and foreign files with a clear error', () => {
    const g = new Uint8Array(golden());
    expect(() => decodeSafetensors(g.subarray(0, 5))).toThrow(/too short/);
    expect(() => decodeSafetensors(g.subarray(0, 200))).toThrow(/header length 320 exceeds the file size/);
    expect(() => decodeSafetensors(g.subarray(0, g.length - 4))).toThrow(/outside the .* data bytes|truncated/);
    const bad = g.slice();
    bad[8] = 0x78; // corrupt the JSON: "x" instead of "{"
    expect(() => decodeSafetensors(bad)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(new TextEncoder().encode('PK\u0003\u0004 this is a zip file, not safetensors'))).toThrow(SafetensorsError);
    const extra = new Uint8Array(g.length + 3);
    extra.set(g);
    expect(() => decodeSafetensors(extra)).toThrow(/trailing bytes/);
  });

  it('converts I64 tensors (PyTorch indices) to int32 and refuses values that do not fit', () => {
    const header = (dtype: string) => `{"t":{"dtype":"${dtype}","shape":[2],"data_offsets":[0,16]}}`;
    const make = (vals: bigint[]) => {
      const h = new TextEncoder().encode(header('I64'));
      const out = new Uint8Array(8 + h.length + 16);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      new BigInt64Array(out.buffer, 8 + h.length, 2).set(vals);
      return out;
    };
    // header length may leave the data misaligned for BigInt64Array: build aligned by padding the header
    const aligned = (vals: bigint[]) => {
      let h = header('I64');
      while ((8 + h.length) % 8) h += ' ';
      const hb = new TextEncoder().encode(h);
      const out = new Uint8Array(8 + hb.length + 16);
      new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
      out.set(hb, 8);
      new BigInt64Array(out.buffer, 8 + hb.length, 2).set(vals);
      return out;
    };
    void make;
    const t = decodeSafetensors(aligned([3n, -4n])).tensors.get('t')!;
    expect(t.dtype).toBe('int32');
    expect(Array.from(t.values)).toEqual([3, -4]);
    expect(() => decodeSafetensors(aligned([1n << 40n, 0n]))).toThrow(/does not fit int32/);
  });

  it('tensor() values survive a save/load cycle', () => {
    const t = tensor([[1.5, 2], [3, 4]]);
    const bytes = encodeSafetensors([['w', { dtype: t.dtype, shape: [...t.shape], values: t.dataSync() }]]);
    expect(hostToTensor(decodeSafetensors(bytes).tensors.get('w')!).tolist()).toEqual([[1.5, 2], [3, 4]]);
  });
});
