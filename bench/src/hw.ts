/**
 * The machine's limits, measured in the same run as the benchmarks: peak float32 FLOP/s of a
 * tight WebAssembly SIMD FMA loop (relaxed-SIMD `f32x4.relaxed_madd` where the engine has it,
 * else mul + add), the copy bandwidth of `Float32Array.prototype.set`, and the bandwidth of a
 * WebAssembly SIMD triad `a = b + s·c`, by default over three arrays of 10M floats (120 MB: about
 * the size of the 10M-parameter Adam step's arrays; larger than the caches of most machines, though
 * not of hosts with a very large L3, where a larger `n` measures DRAM bandwidth).
 */
import { F32, Fn, I32, V128, assemble, get, i32, op, set, vF32, vLoad, vStore } from '@backstep/backend-cpu/wasm-asm';

function build(fns: Fn[], pages: number): Record<string, (...a: number[]) => number> {
  const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const mod = new WebAssembly.Module(assemble(fns, { initial: pages, maximum: pages, shared: false }));
  return new WebAssembly.Instance(mod, { env: { mem } }).exports as Record<string, (...a: number[]) => number>;
}

function peakFn(fma: boolean): Fn {
  const f = new Fn('peak', [I32], [F32]);
  const acc = Array.from({ length: 12 }, () => f.local(V128));
  const [x, y] = [f.local(V128), f.local(V128)];
  f.emit(vF32(0.999), set(x), vF32(0.001), set(y));
  for (const a of acc) f.emit(vF32(1), set(a));
  f.emit(0x02, 0x40, 0x03, 0x40, get(0), op.i32Eqz, 0x0d, 1);
  for (const a of acc) f.emit(fma ? [...get(a), ...get(x), ...get(y), ...op.fMadd] : [...get(a), ...get(x), ...op.fMul, ...get(y), ...op.fAdd], set(a));
  f.emit(get(0), i32(1), op.i32Sub, set(0), 0x0c, 0, 0x0b, 0x0b, get(acc[0] as number));
  for (let i = 1; i < acc.length; i++) f.emit(get(acc[i] as number), op.fAdd);
  return f.emit(op.fExtract(0));
}

/** Peak GFLOP/s of one thread's WASM SIMD FMA loop, and whether relaxed SIMD was used. */
export function measurePeak(): { gflops: number; relaxed: boolean } {
  let relaxed = true;
  let ex: Record<string, (...a: number[]) => number>;
  try {
    ex = build([peakFn(true)], 1);
  } catch {
    relaxed = false;
    ex = build([peakFn(false)], 1);
  }
  const peak = ex['peak'] as (n: number) => number;
  peak(1e5);
  let best = 0;
  for (let r = 0; r < 5; r++) {
    const n = 2e6;
    const t0 = performance.now();
    peak(n);
    best = Math.max(best, (n * 12 * 8) / (performance.now() - t0) / 1e6);
  }
  return { gflops: best, relaxed };
}

/** GB/s of `Float32Array.set` over `n` floats (read + write bytes). */
export function measureCopy(n = 30e6): number {
  const src = new Float32Array(n).fill(1);
  const dst = new Float32Array(n);
  dst.set(src);
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    dst.set(src);
    best = Math.min(best, performance.now() - t0);
  }
  return (8 * n) / best / 1e6;
}

/** GB/s (read + write bytes) of a WASM SIMD triad a = b + s·c over three arrays of `n` floats. */
export function measureTriad(n = 10e6): number {
  const f = new Fn('triad', [I32, I32, I32, I32]);
  const i = f.local(I32);
  f.loop(i, i32(0), get(3), i32(16), () => {
    f.emit(get(0), get(i), op.i32Add, get(1), get(i), op.i32Add, vLoad(), get(2), get(i), op.i32Add, vLoad(), vF32(0.5), op.fMul, op.fAdd, vStore());
  });
  const bytes = 4 * n;
  const ex = build([f], Math.ceil((3 * bytes) / 65536) + 1);
  const triad = ex['triad'] as (...a: number[]) => void;
  triad(0, bytes, 2 * bytes, bytes);
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    triad(0, bytes, 2 * bytes, bytes);
    best = Math.min(best, performance.now() - t0);
  }
  return (3 * bytes) / best / 1e6;
}
