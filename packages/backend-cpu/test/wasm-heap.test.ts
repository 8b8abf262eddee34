/**
 * The WebAssembly tensor heap: the block allocator's invariants, views that survive memory
 * growth, tensors living in it (and freed from it), and the in-place fused optimizer steps giving
 * the same bits on one thread, on the worker pool and through the host-array path.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, type Tensor } from '@backstep/tensor';
import { CpuBackend, registerCpuBackend } from '../src/index.js';
import { BlockAllocator, WasmHeap } from '../src/wasm/heap.js';

describe('BlockAllocator', () => {
  it('hands out aligned, disjoint blocks; frees merge and lower the top', () => {
    let end = 0;
    const heap = new BlockAllocator(1024, 1 << 20, (e) => ((end = Math.max(end, e)), true));
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    const c = heap.alloc(64);
    expect([a, b, c]).toEqual([1024, 1088, 1216]);
    expect(end).toBe(1280);
    heap.free(b);
    expect(heap.stats()).toEqual({ usedBytes: 128, freeBytes: 128, top: 1280, blocks: 2 });
    // best fit: a 64-byte request splits the 128-byte hole
    expect(heap.alloc(1)).toBe(1088);
    heap.free(1088);
    heap.free(c); // merges with the hole below and lowers the top
    expect(heap.stats()).toEqual({ usedBytes: 64, freeBytes: 0, top: 1088, blocks: 1 });
    expect(() => heap.free(c)).toThrow(/not a live block/);
  });

  it('returns -1 past its limit or when the memory cannot grow, and stays usable', () => {
    const heap = new BlockAllocator(0, 256, () => true);
    expect(heap.alloc(200)).toBe(0);
    expect(heap.alloc(64)).toBe(-1);
    const stuck = new BlockAllocator(0, 1 << 20, (e) => e <= 128);
    expect(stuck.alloc(128)).toBe(0);
    expect(stuck.alloc(1)).toBe(-1);
    expect(stuck.stats().top).toBe(128);
  });

  it('random alloc/free sequences keep live blocks disjoint and the counts exact', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5000 }), fc.nat()), { maxLength: 200 }), (ops) => {
        const heap = new BlockAllocator(0, 1 << 24, () => true);
        const live = new Map<number, number>();
        for (const [doAlloc, bytes, pick] of ops) {
          if (doAlloc || live.size === 0) {
            const p = heap.alloc(bytes);
            expect(p % 64).toBe(0);
            const size = Math.max(64, Math.ceil(bytes / 64) * 64);
            for (const [q, s] of live) expect(p + size <= q || q + s <= p).toBe(true);
            live.set(p, size);
          } else {
            const p = [...live.keys()][pick % live.size] as number;
            heap.free(p);
            live.delete(p);
          }
          const used = [...live.values()].reduce((x, y) => x + y, 0);
          const st = heap.stats();
          expect(st.usedBytes).toBe(used);
          expect(st.blocks).toBe(live.size);
          // everything below the top is either live or free
          expect(st.usedBytes + st.freeBytes).toBe(st.top);
        }
        for (const p of [...live.keys()]) heap.free(p);
        expect(heap.stats()).toEqual({ usedBytes: 0, freeBytes: 0, top: 0, blocks: 0 });
      }),
    );
  });
});

describe('WasmHeap over a shared memory', () => {
  it('views keep their values when the memory grows; release is once only', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024, shared: true });
    const heap = new WasmHeap(memory, 0, 1024);
    const a = heap.allocF32(100) as Float32Array;
    a.fill(7);
    const big = heap.allocF32(1 << 20) as Float32Array; // grows the memory past 4 MiB
    expect(memory.buffer.byteLength).toBeGreaterThan(4 << 20);
    big.fill(1);
    expect(a[99]).toBe(7);
    expect(heap.holds(a) && heap.holds(big)).toBe(true);
    expect(heap.offsetOf(new Float32Array(4))).toBe(-1);
    expect(heap.blockBytes(a)).toBe(448);
    expect(heap.release(a)).toBe(true);
    expect(heap.release(a)).toBe(false);
    expect(heap.release(new Float32Array(4))).toBe(false);
    expect(heap.allocF32(1 << 30)).toBeNull(); // past the memory's maximum: the caller falls back
  });
});

describe('CPU tensors in the WebAssembly heap', () => {
  const engine = new Engine();
  registerCpuBackend(engine);
  const cpu = engine.getBackend('cpu') as CpuBackend;
  const arrayOf = (x: Tensor): ArrayBufferView => cpu.get(x.dataId).peek();

  it('large float32 buffers live in shared memory and are freed on dispose', () => {
    const before = cpu.wasmHeapStats();
    expect(before).not.toBeNull();
    const x = engine.makeTensor(new Float32Array(5000).fill(2), [5000], 'float32');
    const y = x.mul(x);
    expect(arrayOf(x).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(arrayOf(y).buffer).toBeInstanceOf(SharedArrayBuffer);
    // small and non-float32 buffers stay host arrays
    expect(arrayOf(engine.makeTensor(new Float32Array(10), [10], 'float32')).buffer).toBeInstanceOf(ArrayBuffer);
    expect(arrayOf(engine.makeTensor(new Int32Array(5000), [5000], 'int32')).buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from((y.dataSync() as Float32Array).subarray(0, 3))).toEqual([4, 4, 4]);
    // reads hand out copies, never the heap view
    expect(y.dataSync().buffer).toBeInstanceOf(ArrayBuffer);
    const used = (cpu.wasmHeapStats() as { usedBytes: number }).usedBytes;
    x.dispose();
    y.dispose();
    expect((cpu.wasmHeapStats() as { usedBytes: number }).usedBytes).toBe(used - 2 * 20032);
  });

  it('a training-like loop holds the heap flat', () => {
    const w = engine.makeTensor(Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i)), [64, 64], 'float32');
    const step = (): void => {
      engine.tidy(() => w.matmul(w).relu().sum().dataSync());
    };
    step();
    const top = (cpu.wasmHeapStats() as { top: number }).top;
    const used = (cpu.wasmHeapStats() as { usedBytes: number }).usedBytes;
    for (let i = 0; i < 50; i++) step();
    expect((cpu.wasmHeapStats() as { top: number }).top).toBe(top);
    expect((cpu.wasmHeapStats() as { usedBytes: number }).usedBytes).toBe(used);
    w.dispose();
  });

  it('setWasmHeap(false) allocates host arrays, which compute the same values', () => {
    expect(() => cpu.setWasmHeap('no' as unknown as boolean)).toThrow('setWasmHeap: expected true or false, got no');
    expect(cpu.wasmHeapStats()).not.toBeNull(); // the bad call changed nothing
    const data = Float32Array.from({ length: 3000 }, (_, i) => Math.cos(i));
    const inHeap = engine.makeTensor(data, [3000], 'float32').exp().dataSync();
    cpu.setWasmHeap(false);
    try {
      const host = engine.makeTensor(data, [3000], 'float32');
      expect(arrayOf(host).buffer).toBeInstanceOf(ArrayBuffer);
      expect(host.exp().dataSync()).toEqual(inHeap);
    } finally {
      cpu.setWasmHeap(true);
    }
  });
});

describe('fused optimizer steps on heap buffers', () => {
  const engine = new Engine();
  registerCpuBackend(engine);
  const cpu = engine.getBackend('cpu') as CpuBackend;
  const n = 300_007; // large enough to split over threads, with a tail that is not a whole granule
  const init = (k: number, sq = false): Float32Array =>
    Float32Array.from({ length: n }, (_, i) => (sq ? Math.sin(i * k + 1) ** 2 : Math.sin(i * k + 1)) * 0.5);

  /** Runs `steps` fused steps from fixed state; returns the bits of every mutated tensor. */
  function run(kernel: 'adamStep' | 'sgdStep', attrs: Record<string, unknown>, sizes: readonly boolean[]): Uint32Array[] {
    const ts = sizes.map((sq, k) => engine.makeTensor(init(k + 1, sq), [n], 'float32'));
    const k = engine.registry.get(kernel, 'cpu');
    for (let s = 1; s <= 3; s++) {
      const stepAttrs = kernel === 'adamStep' ? { ...attrs, step: [s] } : { ...attrs, firstStep: [s === 1] };
      k.kernelFunc({ inputs: ts.map((x) => x.info()), attrs: stepAttrs, backend: cpu });
    }
    const out = ts.map((x) => new Uint32Array((x.dataSync() as Float32Array).buffer));
    ts.forEach((x) => x.dispose());
    return out;
  }

  const ADAM = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, amsgrad: false, maximize: false, decoupledWeightDecay: false };
  const SGD = { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: true, maximize: false };
  const cases = [
    ['adamStep', ADAM, [false, false, false, true]],
    ['adamStep', { ...ADAM, amsgrad: true, maximize: true }, [false, false, false, true, true]],
    ['adamStep', { ...ADAM, decoupledWeightDecay: true }, [false, false, false, true]],
    ['sgdStep', SGD, [false, false, false]],
    ['sgdStep', { ...SGD, momentum: 0, nesterov: false }, [false, false]],
  ] as const;

  it.each(cases)('%s %o: one thread, the worker pool and host arrays give the same bits', async (kernel, attrs, sizes) => {
    await cpu.startThreads();
    cpu.setThreads(1);
    const one = run(kernel, attrs, sizes);
    cpu.setThreads(2);
    const two = run(kernel, attrs, sizes);
    cpu.setThreads(null);
    cpu.setWasmHeap(false);
    let host: Uint32Array[];
    try {
      host = run(kernel, attrs, sizes);
    } finally {
      cpu.setWasmHeap(true);
    }
    const differing = (x: Uint32Array, y: Uint32Array): number => {
      let d = 0;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) d++;
      return d;
    };
    for (let t = 0; t < one.length; t++) {
      expect(differing(two[t]!, one[t]!)).toBe(0);
      expect(differing(host[t]!, one[t]!)).toBe(0);
    }
    // the steps did move the parameter
    expect(differing(one[0]!, new Uint32Array(init(1).buffer))).toBeGreaterThan(n / 2);
  });
});

describe('garbage collection', () => {
  it('frees the heap blocks of arrays that never became buffers (a child node with --expose-gc)', () => {
    const script = fileURLToPath(new URL('./fixtures/heap-gc.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', '--conditions=source', '--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    const { before, held, after } = JSON.parse(r.stdout) as { before: number; held: number; after: number };
    expect(held - before).toBeGreaterThanOrEqual(100 * 40_000);
    expect(after).toBe(before);
  });
});
