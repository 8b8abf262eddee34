/**
 * The float32 elementwise, reduction and softmax functions of the WASM kernel module. All take
 * byte offsets of linear memory. Vector loops run over whole f32x4 vectors: buffers in the
 * scratch heap are padded, lanes past the end compute garbage that is never copied out, and
 * rows are written in increasing order so a row's overhang is overwritten by the next row.
 */
import { Fn, I32, V128, f64Store, get, i32, op, seq, set, simd, vF32, vI32, vLoad, vStore, f32Load, f32Store, type Code } from './asm.js';
import { expCode, logCode, mathLocals, sigmoidCode, tanhCode } from './simd-math.js';

/** Unary kernels with a WASM loop. */
export const WASM_UNARY = ['exp', 'log', 'tanh', 'sigmoid', 'relu', 'sqrt', 'neg', 'abs'] as const;
/** Binary kernels with a WASM loop. */
export const WASM_BINARY = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const;
/** Inner-loop operand layouts of the binary loops: both vectors, b a scalar, a a scalar. */
export const BINARY_VARIANTS = ['vv', 'vs', 'sv'] as const;

const BIN_OP: Record<(typeof WASM_BINARY)[number], Code> = {
  add: op.fAdd, sub: op.fSub, mul: op.fMul, div: op.fDiv, maximum: op.fMax, minimum: op.fMin,
};

/** `un_<name>(x, out, n)`: out[i] = f(x[i]) over ceil(n/4) vectors. */
function unary(name: (typeof WASM_UNARY)[number]): Fn {
  const f = new Fn(`un_${name}`, [I32, I32, I32]);
  const [X, OUT, N] = [0, 1, 2];
  const [i, end] = [f.local(I32), f.local(I32)];
  const v = f.local(V128);
  const y = f.local(V128);
  const L = mathLocals(f);
  f.emit(get(N), i32(2), op.i32Shl, set(end));
  f.loop(i, i32(0), get(end), i32(16), () => {
    f.emit(get(OUT), get(i), op.i32Add, get(X), get(i), op.i32Add, vLoad(), set(v));
    switch (name) {
      case 'exp': f.emit(expCode(v, L)); break;
      case 'log': f.emit(logCode(v, L)); break;
      case 'tanh': f.emit(tanhCode(v, y, L)); break;
      case 'sigmoid': f.emit(sigmoidCode(v, y, L)); break;
      // pmax(x, 0) = x < 0 ? 0 : x keeps NaN, + 0 turns -0 into +0 (one instruction each; max is ~8)
      case 'relu': f.emit(get(v), vF32(0), simd(0xeb), vF32(0), op.fAdd); break;
      case 'sqrt': f.emit(get(v), op.fSqrt); break;
      case 'neg': f.emit(get(v), op.fNeg); break;
      case 'abs': f.emit(get(v), op.fAbs); break;
    }
    f.emit(vStore());
  });
  return f;
}

/**
 * `bin_<op>_<variant>(a, b, out, n0, n1, n2, as0, as1, bs0, bs1)`: out (contiguous n0×n1×n2) =
 * a op b where operand element (i, j, k) is at `base + i·s0 + j·s1 + k·4` ('v') or
 * `base + i·s0 + j·s1` ('s': broadcast along k). Strides are in bytes.
 */
function binary(name: (typeof WASM_BINARY)[number], variant: (typeof BINARY_VARIANTS)[number]): Fn {
  const f = new Fn(`bin_${name}_${variant}`, [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [A, B, OUT, N0, N1, N2, AS0, AS1, BS0, BS1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, j, k, ar, br, o, end] = Array.from({ length: 7 }, () => f.local(I32)) as number[] as [number, number, number, number, number, number, number];
  const s = f.local(V128);
  f.emit(get(N2), i32(2), op.i32Shl, set(end), get(OUT), set(o));
  f.loop(i, i32(0), get(N0), i32(1), () => {
    f.loop(j, i32(0), get(N1), i32(1), () => {
      f.emit(get(A), get(i), get(AS0), op.i32Mul, op.i32Add, get(j), get(AS1), op.i32Mul, op.i32Add, set(ar));
      f.emit(get(B), get(i), get(BS0), op.i32Mul, op.i32Add, get(j), get(BS1), op.i32Mul, op.i32Add, set(br));
      if (variant === 'vs') f.emit(get(br), f32Load(), op.fSplat, set(s));
      if (variant === 'sv') f.emit(get(ar), f32Load(), op.fSplat, set(s));
      f.loop(k, i32(0), get(end), i32(16), () => {
        f.emit(get(o), get(k), op.i32Add);
        f.emit(variant === 'sv' ? get(s) : seq(get(ar), get(k), op.i32Add, vLoad()));
        f.emit(variant === 'vs' ? get(s) : seq(get(br), get(k), op.i32Add, vLoad()));
        f.emit(BIN_OP[name], vStore());
      });
      f.emit(get(o), get(end), op.i32Add, set(o));
    });
  });
  return f;
}

/** Lane mask of the vector at byte offset `k` of a row of `end` bytes: lanes inside the row. */
const laneMask = (k: number, end: number): Code =>
  seq(vI32(0), get(k), i32(2), op.i32ShrS, op.iSplat, op.iAdd, [0xfd, 0x0c, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0], op.iAdd,
    get(end), i32(2), op.i32ShrS, op.iSplat, op.iLtS);

/**
 * `red_<kind>Rows(x, out, rows, len)`: per row of `len` floats, the sum (as float64 into
 * `out`, 8 bytes per row), max or min (float32 into `out`). NaN propagates.
 */
function reduceRows(kind: 'sum' | 'max' | 'min'): Fn {
  const f = new Fn(`red_${kind}Rows`, [I32, I32, I32, I32]);
  const [X, OUT, ROWS, LEN] = [0, 1, 2, 3];
  const [r, k, end, row] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const [acc0, acc1, v] = [f.local(V128), f.local(V128), f.local(V128)];
  const fill = kind === 'sum' ? vF32(0) : vF32(kind === 'max' ? -Infinity : Infinity);
  f.emit(get(LEN), i32(2), op.i32Shl, set(end), get(X), set(row));
  f.loop(r, i32(0), get(ROWS), i32(1), () => {
    f.emit(simd(0x0c), new Array<number>(16).fill(0), set(acc0), simd(0x0c), new Array<number>(16).fill(0), set(acc1));
    if (kind !== 'sum') f.emit(fill, set(acc0));
    f.loop(k, i32(0), get(end), i32(16), () => {
      f.emit(get(row), get(k), op.i32Add, vLoad(), fill, laneMask(k, end), op.vSelect, set(v));
      if (kind === 'sum') {
        f.emit(get(acc0), get(v), op.dPromoteLow, op.dAdd, set(acc0));
        f.emit(get(acc1), get(v), get(v), op.highToLow, op.dPromoteLow, op.dAdd, set(acc1));
      } else f.emit(get(acc0), get(v), kind === 'max' ? op.fMax : op.fMin, set(acc0));
    });
    if (kind === 'sum') {
      f.emit(get(OUT), get(r), i32(3), op.i32Shl, op.i32Add);
      f.emit(get(acc0), get(acc1), op.dAdd, set(acc0), get(acc0), op.dExtract(0), get(acc0), op.dExtract(1), op.f64Add, f64Store());
    } else {
      const m = kind === 'max' ? op.f32Max : op.f32Min;
      f.emit(get(OUT), get(r), i32(2), op.i32Shl, op.i32Add);
      f.emit(get(acc0), op.fExtract(0), get(acc0), op.fExtract(1), m, get(acc0), op.fExtract(2), m, get(acc0), op.fExtract(3), m, f32Store());
    }
    f.emit(get(row), get(end), op.i32Add, set(row));
  });
  return f;
}

/**
 * `red_<kind>Mid(x, out, outer, red, inner)`: reduces the middle axis of [outer, red, inner]:
 * sums accumulate in float64 into `out` (8 bytes per element), max/min in float32 (NaN
 * propagates). Whole vectors, then a scalar tail, so the next output row is never touched.
 */
function reduceMidFn(kind: 'sum' | 'max' | 'min'): Fn {
  const f = new Fn(`red_${kind}Mid`, [I32, I32, I32, I32, I32]);
  const [X, OUT, OUTER, RED, INNER] = [0, 1, 2, 3, 4];
  const [o, r, k, src, dst, vecEnd, at] = Array.from({ length: 7 }, () => f.local(I32)) as [number, number, number, number, number, number, number];
  const v = f.local(V128);
  const sum = kind === 'sum';
  const vop = kind === 'max' ? op.fMax : op.fMin;
  const sop = kind === 'max' ? op.f32Max : op.f32Min;
  f.emit(get(X), set(src), get(INNER), i32(-4), op.i32And, set(vecEnd));
  f.loop(o, i32(0), get(OUTER), i32(1), () => {
    f.emit(get(OUT), get(o), get(INNER), op.i32Mul, i32(sum ? 3 : 2), op.i32Shl, op.i32Add, set(dst));
    f.loop(r, i32(0), get(RED), i32(1), () => {
      f.loop(k, i32(0), get(vecEnd), i32(4), () => {
        f.emit(get(src), get(k), i32(2), op.i32Shl, op.i32Add, vLoad(), set(v));
        if (sum) {
          f.emit(get(dst), get(k), i32(3), op.i32Shl, op.i32Add, set(at));
          // first row stores, later rows add
          f.if(get(r), () => {
            f.emit(get(at), get(at), vLoad(), get(v), op.dPromoteLow, op.dAdd, vStore());
            f.emit(get(at), get(at), vLoad(16), get(v), get(v), op.highToLow, op.dPromoteLow, op.dAdd, vStore(16));
          }, () => {
            f.emit(get(at), get(v), op.dPromoteLow, vStore(), get(at), get(v), get(v), op.highToLow, op.dPromoteLow, vStore(16));
          });
        } else {
          f.emit(get(dst), get(k), i32(2), op.i32Shl, op.i32Add, set(at));
          f.if(get(r), () => f.emit(get(at), get(at), vLoad(), get(v), vop, vStore()), () => f.emit(get(at), get(v), vStore()));
        }
      });
      f.loop(k, get(vecEnd), get(INNER), i32(1), () => {
        f.emit(get(dst), get(k), i32(sum ? 3 : 2), op.i32Shl, op.i32Add, set(at));
        const x = seq(get(src), get(k), i32(2), op.i32Shl, op.i32Add, f32Load());
        if (sum) {
          f.if(get(r), () => f.emit(get(at), get(at), [0x2b, 3, 0], x, op.f64PromoteF32, op.f64Add, f64Store()),
            () => f.emit(get(at), x, op.f64PromoteF32, f64Store()));
        } else {
          f.if(get(r), () => f.emit(get(at), get(at), f32Load(), x, sop, f32Store()), () => f.emit(get(at), x, f32Store()));
        }
      });
      f.emit(get(src), get(INNER), i32(2), op.i32Shl, op.i32Add, set(src));
    });
  });
  return f;
}

/**
 * `sm_<kind>(x, out, rows, len)`: softmax or log-softmax of each row of `len` floats,
 * max-subtracted, in float32 arithmetic.
 */
function softmaxRows(log: boolean): Fn {
  const f = new Fn(log ? 'sm_logSoftmax' : 'sm_softmax', [I32, I32, I32, I32]);
  const [X, OUT, ROWS, LEN] = [0, 1, 2, 3];
  const [r, k, end, row, orow] = Array.from({ length: 5 }, () => f.local(I32)) as [number, number, number, number, number];
  const [m, s, v, e] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const L = mathLocals(f);
  const hmax = (x: number): Code => seq(get(x), get(x), get(x), [0xfd, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7], op.fMax, set(x),
    get(x), get(x), get(x), [0xfd, 0x0d, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11], op.fMax, set(x));
  const hsum = (x: number): Code => seq(get(x), get(x), get(x), [0xfd, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7], op.fAdd, set(x),
    get(x), get(x), get(x), [0xfd, 0x0d, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11], op.fAdd, set(x));
  f.emit(get(LEN), i32(2), op.i32Shl, set(end), get(X), set(row), get(OUT), set(orow));
  f.loop(r, i32(0), get(ROWS), i32(1), () => {
    f.emit(vF32(-Infinity), set(m));
    f.loop(k, i32(0), get(end), i32(16), () => {
      f.emit(get(m), get(row), get(k), op.i32Add, vLoad(), vF32(-Infinity), laneMask(k, end), op.vSelect, op.fMax, set(m));
    });
    f.emit(hmax(m), vF32(0), set(s));
    f.loop(k, i32(0), get(end), i32(16), () => {
      f.emit(get(row), get(k), op.i32Add, vLoad(), get(m), op.fSub, set(v), expCode(v, L), set(e));
      if (!log) f.emit(get(orow), get(k), op.i32Add, get(e), vStore());
      f.emit(get(s), get(e), vF32(0), laneMask(k, end), op.vSelect, op.fAdd, set(s));
    });
    f.emit(hsum(s));
    if (log) {
      // out = (x - m) - log(s)
      f.emit(logCode(s, L), set(s));
      f.loop(k, i32(0), get(end), i32(16), () => {
        f.emit(get(orow), get(k), op.i32Add, get(row), get(k), op.i32Add, vLoad(), get(m), op.fSub, get(s), op.fSub, vStore());
      });
    } else {
      f.loop(k, i32(0), get(end), i32(16), () => {
        f.emit(get(orow), get(k), op.i32Add, get(orow), get(k), op.i32Add, vLoad(), get(s), op.fDiv, vStore());
      });
    }
    f.emit(get(row), get(end), op.i32Add, set(row), get(orow), get(end), op.i32Add, set(orow));
  });
  return f;
}

/** Elementwise functions of the module, placed from function index `base` (which they do not call). */
export function elementwiseFns(base: number): Fn[] {
  void base;
  return [
    ...WASM_UNARY.map(unary),
    ...WASM_BINARY.flatMap((name) => BINARY_VARIANTS.map((v) => binary(name, v))),
    reduceRows('sum'), reduceRows('max'), reduceRows('min'),
    reduceMidFn('sum'), reduceMidFn('max'), reduceMidFn('min'),
    softmaxRows(false), softmaxRows(true),
  ];
}
