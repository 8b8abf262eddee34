import { Engine, type Tensor } from '@backstep/tensor';
import { describe, expect, it } from 'vitest';
import { CpuBackend, registerCpuBackend } from '../src/index.js';

function setup(): { engine: Engine; backend: CpuBackend } {
  const engine = new Engine();
  const backend = registerCpuBackend(engine);
  return { engine, backend };
}

describe('cpu memory accounting', () => {
  it('creating and disposing tensors returns engine and backend memory to the start', () => {
    const { engine, backend } = setup();
    const start = engine.memory();
    const startBackend = backend.memory();
    const a = engine.makeTensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], 'float32');
    const b = engine.makeTensor(new Float64Array([1, 2, 3]), [3], 'float64');
    const c = engine.makeTensor(new Int32Array([1, 2]), [2], 'int32');
    const d = engine.makeTensor(new Uint8Array([1, 0, 1]), [3], 'bool');
    expect(engine.memory().numTensors).toBe(start.numTensors + 4);
    expect(engine.memory().numBytes).toBe(start.numBytes + 24 + 24 + 8 + 3);
    expect(backend.memory()).toEqual({ numBuffers: startBackend.numBuffers + 4, numBytes: startBackend.numBytes + 59 });
    const outs: Tensor[] = [
      engine.run('add', [a, a], {}),
      engine.run('sum', [a], { axes: [1], keepdim: false }),
      engine.run('matmul', [engine.run('reshape', [a], { shape: [1, 2, 3] }), engine.run('reshape', [a], { shape: [1, 3, 2] })], {
        transposeA: false,
        transposeB: false,
      }),
      engine.run('cast', [b], { dtype: 'float32' }),
      engine.run('logicalNot', [d], {}),
      engine.run('fill', [], { shape: [10], dtype: 'int32', value: 1 }),
    ];
    for (const t of [a, b, c, d, ...outs]) t.dispose();
    // the two reshapes above were never disposed: they share a's buffer
    expect(engine.memory().numTensors).toBe(start.numTensors + 2);
    expect(engine.memory().numDataBuffers).toBe(start.numDataBuffers + 1);
  });

  it('reshape shares the buffer, which is freed only when the last tensor goes', () => {
    const { engine, backend } = setup();
    const start = backend.memory();
    const x = engine.makeTensor(new Float32Array([1, 2, 3, 4]), [4], 'float32');
    const y = engine.run('reshape', [x], { shape: [2, 2] });
    expect(y.dataId).toBe(x.dataId);
    expect(engine.refCount(x.dataId)).toBe(2);
    expect(backend.memory().numBuffers).toBe(start.numBuffers + 1);
    x.dispose();
    expect(y.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    y.dispose();
    expect(backend.memory()).toEqual(start);
    expect(engine.memory().numTensors).toBe(0);
  });

  it('tidy scopes free kernel outputs', () => {
    const { engine, backend } = setup();
    const x = engine.makeTensor(new Float32Array([1, -2, 3]), [3], 'float32');
    const before = backend.memory();
    const kept = engine.tidy(() => {
      const a = engine.run('abs', [x], {});
      const b = engine.run('exp', [a], {});
      return engine.run('sum', [b], { axes: [0], keepdim: false });
    });
    expect(backend.memory().numBuffers).toBe(before.numBuffers + 1);
    kept.dispose();
    expect(backend.memory()).toEqual(before);
  });

  it('a failing kernel allocates nothing', () => {
    const { engine, backend } = setup();
    const x = engine.makeTensor(new Float32Array([1, 2, 3]), [3], 'float32');
    const idx = engine.makeTensor(new Int32Array([0, 5]), [2], 'int32');
    const before = engine.memory();
    const beforeBackend = backend.memory();
    expect(() => engine.run('indexSelect', [x, idx], { axis: 0 })).toThrow(RangeError);
    expect(() => engine.run('gather', [x, idx], { axis: 0 })).toThrow(RangeError);
    expect(() => engine.run('scatterAdd', [x, idx, engine.makeTensor(new Float32Array([1, 1]), [2], 'float32')], { axis: 0 })).toThrow(RangeError);
    expect(engine.memory().numDataBuffers).toBe(before.numDataBuffers + 1); // the src made above
    expect(backend.memory().numBuffers).toBe(beforeBackend.numBuffers + 1);
  });

  it('a long loop holds flat memory', () => {
    const { engine, backend } = setup();
    let w = engine.makeTensor(new Float32Array(64).fill(1), [8, 8], 'float32');
    const before = backend.memory();
    for (let i = 0; i < 100; i++) {
      const next = engine.tidy(() => {
        const g = engine.run('mul', [w, engine.run('fill', [], { shape: [], dtype: 'float32', value: 0.5 })], {});
        return engine.run('sub', [w, g], {});
      });
      w.dispose();
      w = next;
    }
    expect(backend.memory()).toEqual(before);
    expect(w.dataSync()[0]).toBe(Math.pow(0.5, 100));
  });
});

describe('CpuBackend buffers', () => {
  it('write copies, converts mismatched arrays and normalises bools', () => {
    const b = new CpuBackend();
    const src = new Float32Array([1.5, 2.5]);
    const id = b.write(src, 'float32', [2]);
    src[0] = 99;
    expect(Array.from(b.readSync(id))).toEqual([1.5, 2.5]);
    expect(b.readSync(b.write(new Float64Array([-1.7, 2.9]), 'int32', [2]))).toEqual(new Int32Array([-1, 2]));
    expect(b.readSync(b.write(new Uint8Array([0, 2, 255]), 'bool', [3]))).toEqual(new Uint8Array([0, 1, 1]));
    expect(b.readSync(b.write(new Float64Array([0.1]), 'float32', []))).toEqual(new Float32Array([0.1]));
  });

  it('write rejects a size mismatch', () => {
    expect(() => new CpuBackend().write(new Float32Array(3), 'float32', [2, 2])).toThrow(/3 values do not fit shape \[2, 2\]/);
  });

  it('reads resolve to the stored values; released buffers and foreign ids throw', async () => {
    const b = new CpuBackend();
    const id = b.write(new Int32Array([4, 5]), 'int32', [2]);
    expect(await b.read(id)).toEqual(new Int32Array([4, 5]));
    b.disposeData(id);
    b.disposeData(id); // idempotent
    expect(b.memory()).toEqual({ numBuffers: 0, numBytes: 0 });
    expect(() => b.readSync(id)).toThrow(/released/);
    await expect(b.read(id)).rejects.toThrow(/released/);
    expect(() => b.readSync({})).toThrow(/does not belong/);
  });

  it('makeOutput adopts an array without copying and validates it', () => {
    const b = new CpuBackend();
    const arr = new Float64Array([1, 2, 3, 4]);
    const info = b.makeOutput(arr, [2, 2], 'float64');
    expect(b.readSync(info.dataId)).toBe(arr);
    expect(b.memory()).toEqual({ numBuffers: 1, numBytes: 32 });
    expect(() => b.makeOutput(new Float32Array(4), [2, 2], 'float64')).toThrow(/does not match/);
    expect(() => b.makeOutput(new Float64Array(3), [2, 2], 'float64')).toThrow(/does not match/);
  });

  it('tensors expose the values synchronously', () => {
    const engine = new Engine();
    registerCpuBackend(engine);
    const t = engine.makeTensor(new Uint8Array([1, 0]), [2], 'bool');
    expect(t.tolist()).toEqual([true, false]);
    expect(engine.makeTensor(new Float32Array([3]), [], 'float32').item()).toBe(3);
  });
});
