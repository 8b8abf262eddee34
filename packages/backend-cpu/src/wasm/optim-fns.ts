/**
 * WASM loops of the fused SGD step over f32x4 vectors (float32 arithmetic per operation, as
 * PyTorch's float32 kernels): `sgd_<variant>(p, g, b, n, s)` with the float32 scalars
 * `[sign, weightDecay, momentum, 1 - dampening, lr]` at byte offset `s`.
 */
import { Fn, I32, V128, get, i32, op, seq, set, vLoad, vStore } from './asm.js';

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

/** The optimizer functions of the module. */
export function optimFns(): Fn[] {
  return SGD_VARIANTS.map(sgd);
}
