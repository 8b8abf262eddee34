/**
 * A WebAssembly SIMD (128-bit, f32x4) version of the float32 Adam loop, used by the fused
 * `'adamStep'` kernel where the runtime supports WASM SIMD (Node >= 16.4, current browsers).
 *
 * JavaScript cannot vectorize, and the scalar loop is bound by instructions, not memory (one
 * sqrt and one division per element). WASM code can only address its own linear memory, so the
 * tensors are streamed through it in cache-sized chunks: copy the chunk of param/grad/state in
 * (`TypedArray.set`, a memcpy), run the f32x4 loop, copy param/state back. The buffers are
 * still updated in place. Arithmetic is float32 per operation (as PyTorch's float32 kernels);
 * the tiny module is assembled here from its opcodes (no build step, no binary blob).
 */
import type { FloatArray } from './fused-common.js';

/** The scalars of one Adam update (see `fused-adam.ts`). */
export interface AdamScalars {
  sign: number;
  l2: number;
  decay: number;
  beta1: number;
  beta2: number;
  eps: number;
  stepSize: number;
  invBc2Sqrt: number;
}

/** Elements per chunk: 5 arrays × 16384 × 4 bytes = 320 KiB, resident in L2 while computing. */
const CHUNK = 16384;
/**
 * Parameters up to this many elements run the loop unrolled over UNROLL vectors (about 15% faster
 * while the arrays are cache-sized). Larger steps stream from memory: there the unrolled loop only
 * helps in place, and makes the out-of-place step after a snapshot (whose writes go to lines not
 * in cache, hidden behind the slower loop) no faster, so it is not used.
 */
const UNROLL_MAX = 1 << 20;
const UNROLL = 4;

// ---- a minimal WASM assembler ---------------------------------------------------------------

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const [LOAD, STORE, SPLAT, SQRT, ADD, SUB, MUL, DIV, MAX] = [0x00, 0x0b, 0x13, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe9];
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/**
 * `adam(nBytes, gOff, mOff, vOff, xOff, sign, l2, decay, b1, b2, omb1, omb2, eps, stepSize, inv)`
 * over byte offsets of linear memory (param at 0); `xOff` (max_exp_avg_sq) is used when `ams`.
 * `unroll` f32x4 vectors per iteration (nBytes a multiple of 16·unroll): the same operations per
 * element, with independent vectors in flight for the sqrt and division units.
 */
function adamFunction(ams: boolean, unroll: number): number[] {
  // params 0..4 i32, 5..14 f32; locals: 15 i (i32), 16..25 splats, then p, g, m, v per unrolled vector
  const S = (k: number): number => 16 + k; // splat of f32 param 5 + k
  const at = (off: number): number[] => [...get(15), ...get(off), 0x6a]; // i + off
  const b: number[] = [];
  for (let k = 0; k < 10; k++) b.push(...get(5 + k), ...simd(SPLAT), ...set(S(k)));
  b.push(0x41, 0, ...set(15), 0x02, 0x40, 0x03, 0x40); // i = 0; block; loop
  b.push(...get(15), ...get(0), 0x4f, 0x0d, 1); // br_if 1 (i >= n)
  for (let u = 0; u < unroll; u++) {
    const [P, G, M, V] = [26 + 4 * u, 27 + 4 * u, 28 + 4 * u, 29 + 4 * u];
    const memarg = [4, ...uleb(16 * u)]; // 16-byte alignment hint, offset of vector u
    b.push(...get(15), ...simd(LOAD), ...memarg, ...set(P));
    // g = sign·grad + l2·p
    b.push(...at(1), ...simd(LOAD), ...memarg, ...get(S(0)), ...simd(MUL), ...get(P), ...get(S(1)), ...simd(MUL), ...simd(ADD), ...set(G));
    // m = b1·m + (1-b1)·g
    b.push(...at(2), ...simd(LOAD), ...memarg, ...get(S(3)), ...simd(MUL), ...get(G), ...get(S(5)), ...simd(MUL), ...simd(ADD), ...set(M));
    b.push(...at(2), ...get(M), ...simd(STORE), ...memarg);
    // v = b2·v + (1-b2)·g·g
    b.push(...at(3), ...simd(LOAD), ...memarg, ...get(S(4)), ...simd(MUL), ...get(G), ...get(S(6)), ...simd(MUL), ...get(G), ...simd(MUL), ...simd(ADD), ...set(V));
    b.push(...at(3), ...get(V), ...simd(STORE), ...memarg);
    if (ams) {
      b.push(...at(4), ...simd(LOAD), ...memarg, ...get(V), ...simd(MAX), ...set(V));
      b.push(...at(4), ...get(V), ...simd(STORE), ...memarg);
    }
    // p = p·decay - stepSize·m / (sqrt(v)·inv + eps)
    b.push(...get(15), ...get(P), ...get(S(2)), ...simd(MUL), ...get(S(8)), ...get(M), ...simd(MUL));
    b.push(...get(V), ...simd(SQRT), ...get(S(9)), ...simd(MUL), ...get(S(7)), ...simd(ADD), ...simd(DIV), ...simd(SUB));
    b.push(...simd(STORE), ...memarg);
  }
  b.push(...get(15), 0x41, ...sleb(16 * unroll), 0x6a, ...set(15), 0x0c, 0, 0x0b, 0x0b, 0x0b); // i += 16·unroll; br 0; end; end; end
  const body = [...vec([[1, I32], [10 + 4 * unroll, V128]]), ...b];
  return [...uleb(body.length), ...body];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = [0x60, ...vec([...Array(5).fill([I32]), ...Array(10).fill([F32])]), 0];
  const pages = Math.ceil((5 * CHUNK * 4) / 65536);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([type])),
    ...section(3, vec([[0], [0], [0], [0]])),
    ...section(5, vec([[0, ...uleb(pages)]])),
    ...section(7, vec([[...name('adam'), 0, 0], [...name('adamAms'), 0, 1], [...name('adam4'), 0, 2], [...name('adamAms4'), 0, 3], [...name('mem'), 2, 0]])),
    ...section(10, vec([adamFunction(false, 1), adamFunction(true, 1), adamFunction(false, UNROLL), adamFunction(true, UNROLL)])),
  ]);
}

type AdamFn = (...args: number[]) => void;
let kernel: { adam: AdamFn; adamAms: AdamFn; adam4: AdamFn; adamAms4: AdamFn; mem: Float32Array } | null | undefined;

function instance(): typeof kernel {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    if (typeof WebAssembly === 'object') {
      const bytes = moduleBytes();
      if (WebAssembly.validate(bytes)) {
        const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
        const mem = new Float32Array((exports['mem'] as WebAssembly.Memory).buffer);
        kernel = { adam: exports['adam'] as AdamFn, adamAms: exports['adamAms'] as AdamFn, adam4: exports['adam4'] as AdamFn, adamAms4: exports['adamAms4'] as AdamFn, mem };
      }
    }
  } catch {
    kernel = null; // no WASM SIMD: the caller falls back to the scalar loop
  }
  return kernel;
}

/** Whether the WASM SIMD Adam loop is available in this runtime. */
export function hasSimdAdam(): boolean {
  return instance() !== null;
}

/**
 * Runs the float32 Adam update over `p, g, m, v` (and `vmax` for amsgrad) in place through the
 * SIMD module, reading the current values of p, m, v (and vmax) from `src` (positions 0, 2, 3, 4:
 * the sources of pending lazy copies, else the arrays themselves). Returns false (having done
 * nothing) when WASM SIMD is unavailable.
 */
export function simdAdamF32(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: FloatArray | undefined, c: AdamScalars,
  src: readonly Float32Array[] = [p, g, m, v, vmax as Float32Array],
): boolean {
  const k = instance();
  if (k === null || k === undefined) return false;
  const mem = k.mem;
  const x = vmax as Float32Array | undefined;
  const n = p.length;
  const unroll = n <= UNROLL_MAX ? UNROLL : 1;
  const fn = unroll > 1 ? (vmax === undefined ? k.adam4 : k.adamAms4) : vmax === undefined ? k.adam : k.adamAms;
  for (let off = 0; off < n; off += CHUNK) {
    const end = Math.min(n, off + CHUNK);
    const len = end - off;
    mem.set((src[0] as Float32Array).subarray(off, end), 0);
    mem.set(g.subarray(off, end), CHUNK);
    mem.set((src[2] as Float32Array).subarray(off, end), 2 * CHUNK);
    mem.set((src[3] as Float32Array).subarray(off, end), 3 * CHUNK);
    if (x !== undefined) mem.set((src[4] as Float32Array).subarray(off, end), 4 * CHUNK);
    // whole iterations: lanes past `len` hold stale values and are never copied back
    fn(Math.ceil(len / (4 * unroll)) * 16 * unroll, CHUNK * 4, 2 * CHUNK * 4, 3 * CHUNK * 4, 4 * CHUNK * 4,
      c.sign, c.l2, c.decay, c.beta1, c.beta2, 1 - c.beta1, 1 - c.beta2, c.eps, c.stepSize, c.invBc2Sqrt);
    p.set(mem.subarray(0, len), off);
    m.set(mem.subarray(2 * CHUNK, 2 * CHUNK + len), off);
    v.set(mem.subarray(3 * CHUNK, 3 * CHUNK + len), off);
    if (x !== undefined) x.set(mem.subarray(4 * CHUNK, 4 * CHUNK + len), off);
  }
  return true;
}
