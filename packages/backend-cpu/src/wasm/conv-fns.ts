/**
 * WASM loops of `im2col` and `col2im` over one (batch, channel) plane, float32, scalar (the taps
 * are strided gathers): `im2colPlane(src, dst, tab, h, w, kh, kw, sh, sw, ph, dh, outH, outW, pad)`
 * writes the plane's kh·kw rows of outH·outW columns at `dst`; `col2imPlane(img, cols, tab, ...)`
 * (same parameters, no pad) adds those rows from `cols` into the h×w plane at `img` (float32
 * sums, in PyTorch's order: tap row, tap column, output row, output column). `tab` holds, per tap column j, three i32:
 * the first and past-the-last output columns whose tap lies inside the image, and the byte
 * offset of tap column j (`4·(j·dilation - padding)`, may be negative). Byte offsets throughout.
 */
import { F32, Fn, I32, f32Load, f32Store, get, i32, i32Load, op, seq, set, type Code } from './asm.js';

/** The parameters both loops take: [src, dst, tab, h, w, kh, kw, sh, sw, ph, dh, outH, outW]. */
const PARAMS = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32];
const [SRC, DST, TAB, H, W, KH, KW, SH, SW, PH, DH, OH, OW] = PARAMS.map((_, k) => k) as number[] as [
  number, number, number, number, number, number, number, number, number, number, number, number, number,
];

/**
 * Shared skeleton: for tap (i, j), output row oh with image row y inside the image, calls
 * `inside(lo, hi, row, ...)` where `row` is the byte offset of image row y plus tap column j's
 * offset and `d` the byte offset of output row oh; rows outside call `outside(d)`.
 */
function planeLoops(
  f: Fn,
  l: { i: number; j: number; oh: number; y: number; d: number; lo: number; hi: number; row: number; t: number },
  inside: () => void,
  outside: () => void,
): void {
  const { i, j, oh, y, d, lo, hi, row, t } = l;
  f.loop(i, i32(0), get(KH), i32(1), () => {
    f.loop(j, i32(0), get(KW), i32(1), () => {
      f.emit(get(TAB), get(j), i32(12), op.i32Mul, op.i32Add, set(t));
      f.emit(get(t), i32Load(0), set(lo), get(t), i32Load(4), set(hi));
      f.loop(oh, i32(0), get(OH), i32(1), () => {
        // y = oh·sh - ph + i·dh (negative wraps to a large unsigned value: outside)
        f.emit(get(oh), get(SH), op.i32Mul, get(PH), op.i32Sub, get(i), get(DH), op.i32Mul, op.i32Add, set(y));
        f.if([...get(y), ...get(H), ...op.i32LtU], () => {
          f.emit(get(SRC), get(y), get(W), op.i32Mul, i32(2), op.i32Shl, op.i32Add, get(t), i32Load(8), op.i32Add, set(row));
          inside();
        }, outside);
        f.emit(get(d), get(OW), i32(2), op.i32Shl, op.i32Add, set(d));
      });
    });
  });
}

function locals(f: Fn): { i: number; j: number; oh: number; y: number; d: number; lo: number; hi: number; row: number; t: number; ow: number } {
  const [i, j, oh, y, d, lo, hi, row, t, ow] = Array.from({ length: 10 }, () => f.local(I32)) as number[] as [number, number, number, number, number, number, number, number, number, number];
  return { i, j, oh, y, d, lo, hi, row, t, ow };
}

function im2colPlane(): Fn {
  const f = new Fn('im2colPlane', [...PARAMS, F32]);
  const PAD = PARAMS.length;
  const l = locals(f);
  const { d, lo, hi, row, ow } = l;
  const at = (): Code => seq(get(d), get(ow), i32(2), op.i32Shl, op.i32Add);
  const padRange = (from: Code, to: Code): void => {
    f.loop(ow, from, to, i32(1), () => f.emit(at(), get(PAD), f32Store()));
  };
  f.emit(get(DST), set(d));
  planeLoops(f, l, () => {
    padRange(i32(0), get(lo));
    f.loop(ow, get(lo), get(hi), i32(1), () => {
      f.emit(at(), get(row), get(ow), get(SW), op.i32Mul, i32(2), op.i32Shl, op.i32Add, f32Load(), f32Store());
    });
    padRange(get(hi), get(OW));
  }, () => padRange(i32(0), get(OW)));
  return f;
}

function col2imPlane(): Fn {
  const f = new Fn('col2imPlane', PARAMS);
  const l = locals(f);
  const { d, lo, hi, row, ow } = l;
  const addr = f.local(I32);
  // the first parameter is the image plane (read and written), the second walks the column rows
  f.emit(get(DST), set(d));
  planeLoops(f, l, () => {
    f.loop(ow, get(lo), get(hi), i32(1), () => {
      f.emit(get(row), get(ow), get(SW), op.i32Mul, i32(2), op.i32Shl, op.i32Add, set(addr));
      f.emit(get(addr), get(addr), f32Load(), get(d), get(ow), i32(2), op.i32Shl, op.i32Add, f32Load(), op.f32Add, f32Store());
    });
  }, () => undefined);
  return f;
}

/** The conv helper functions of the module. */
export function convFns(): Fn[] {
  return [im2colPlane(), col2imPlane()];
}
