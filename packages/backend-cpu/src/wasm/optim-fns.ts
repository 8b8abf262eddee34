/**
 * WASM loops of the fused optimizer steps over f32x4 vectors (float32 arithmetic per operation,
 * as PyTorch's float32 kernels):
 * - `sgd_<variant>(p, g, b, n, s)` with the float32 scalars `[sign, weightDecay, momentum,
 *   1 - dampening, lr]` at byte offset `s`;
 * - `adam_<variant>(d, i0, i1)` over bytes `[i0, i1)` of one parameter described at byte offset
 *   `d` (see {@link ADAM_DESC}): arrays are addressed where they live (the tensor heap), reads and
 *   writes through separate pointers so that a step can write out of place (copy-on-write).
 */
import { Fn, I32, type Code, V128, get, i32, i32Load, op, seq, set, vLoad, vLoadSplat, vStore } from './asm.js';

/** Variants: no momentum; momentum (first step: the buffer becomes d); Nesterov momentum. */
export const SGD_VARIANTS = ['plain', 'mom', 'momFirst', 'nest', 'nestFirst'] as const;

function sgd(variant: (typeof SGD_VARIANTS)[number]): Fn {
  const f = new Fn(`sgd_${variant}`, [I32, I32, I32, I32, I32]);
  const [P, G, B, N, S] = [0, 1, 2, 3, 4];
  const i = f.local(I32);
  const [sign, wd, mom, keep, lr, p, d, b] = Array.from({ length: 8 }, () => f.local(V128));
  [sign, wd, mom, keep, lr].forEach((l, k) => f.emit(get(S), [0xfd, 0x09, 2, 4 * k], set(l)));
  const first = variant.endsWith('First');
  const nesterov = variant.startsWith('nest');
  f.loop(i, i32(0), seq(get(N), i32(2), op.i32Shl), i32(16), () => {
    f.emit(get(P), get(i), op.i32Add, vLoad(), set(p));
    // d = sign·g + wd·p
    f.emit(get(G), get(i), op.i32Add, vLoad(), get(sign), op.fMul, get(p), get(wd), op.fMul, op.fAdd, set(d));
    if (variant !== 'plain') {
      if (first) f.emit(get(d), set(b));
      else f.emit(get(B), get(i), op.i32Add, vLoad(), get(mom), op.fMul, get(d), get(keep), op.fMul, op.fAdd, set(b));
      f.emit(get(B), get(i), op.i32Add, get(b), vStore());
      if (nesterov) f.emit(get(d), get(b), get(mom), op.fMul, op.fAdd, set(d));
      else f.emit(get(b), set(d));
    }
    f.emit(get(P), get(i), op.i32Add, get(p), get(lr), get(d), op.fMul, op.fSub, vStore());
  });
  return f;
}

/**
 * The layout of an Adam descriptor (bytes): nine i32 byte offsets (param in, param out, grad,
 * exp_avg in/out, exp_avg_sq in/out, max_exp_avg_sq in/out), then ten float32 scalars `[sign, l2,
 * decay, beta1, beta2, 1 - beta1, 1 - beta2, eps, stepSize, 1 / sqrt(biasCorrection2)]`.
 */
export const ADAM_DESC = { pointers: 9, scalars: 36, bytes: 80 } as const;

/** Adam variants: plain or AMSGrad, times one f32x4 vector or four per iteration. */
export const ADAM_VARIANTS = ['plain1', 'plain4', 'ams1', 'ams4'] as const;

function adam(variant: (typeof ADAM_VARIANTS)[number]): Fn {
  const f = new Fn(`adam_${variant}`, [I32, I32, I32]);
  const [D, I0, I1] = [0, 1, 2];
  const ams = variant.startsWith('ams');
  const unroll = variant.endsWith('4') ? 4 : 1;
  const i = f.local(I32);
  const ptr = Array.from({ length: ADAM_DESC.pointers }, () => f.local(I32));
  const [pIn, pOut, g, mIn, mOut, vIn, vOut, xIn, xOut] = ptr as [number, number, number, number, number, number, number, number, number];
  ptr.forEach((l, k) => f.emit(get(D), i32Load(4 * k), set(l)));
  const sc = Array.from({ length: 10 }, () => f.local(V128));
  sc.forEach((l, k) => f.emit(get(D), vLoadSplat(ADAM_DESC.scalars + 4 * k), set(l)));
  const [sign, l2, decay, b1, b2, omb1, omb2, eps, step, inv] = sc as [number, number, number, number, number, number, number, number, number, number];
  const regs = Array.from({ length: unroll }, () => [f.local(V128), f.local(V128), f.local(V128), f.local(V128)] as const);
  const at = (base: number): Code => seq(get(base), get(i), op.i32Add);
  f.loop(i, get(I0), get(I1), i32(16 * unroll), () => {
    regs.forEach(([P, G, M, V], u) => {
      const o = 16 * u;
      f.emit(at(pIn), vLoad(o), set(P));
      // g = sign·grad + l2·p
      f.emit(at(g), vLoad(o), get(sign), op.fMul, get(P), get(l2), op.fMul, op.fAdd, set(G));
      // m = b1·m + (1-b1)·g
      f.emit(at(mIn), vLoad(o), get(b1), op.fMul, get(G), get(omb1), op.fMul, op.fAdd, set(M));
      f.emit(at(mOut), get(M), vStore(o));
      // v = b2·v + (1-b2)·g·g
      f.emit(at(vIn), vLoad(o), get(b2), op.fMul, get(G), get(omb2), op.fMul, get(G), op.fMul, op.fAdd, set(V));
      f.emit(at(vOut), get(V), vStore(o));
      if (ams) {
        f.emit(at(xIn), vLoad(o), get(V), op.fMax, set(V));
        f.emit(at(xOut), get(V), vStore(o));
      }
      // p = p·decay - stepSize·m / (sqrt(v)·inv + eps)
      f.emit(at(pOut), get(P), get(decay), op.fMul, get(step), get(M), op.fMul);
      f.emit(get(V), op.fSqrt, get(inv), op.fMul, get(eps), op.fAdd, op.fDiv, op.fSub, vStore(o));
    });
  });
  return f;
}

/** The optimizer functions of the module. */
export function optimFns(): Fn[] {
  return [...SGD_VARIANTS.map(sgd), ...ADAM_VARIANTS.map(adam)];
}
