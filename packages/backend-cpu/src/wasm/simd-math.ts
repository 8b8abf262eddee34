/**
 * f32x4 code generators for exp, log, tanh and sigmoid (Cephes single-precision polynomials,
 * within ~2 ulp; NaN, ±Infinity, zeros and subnormal results handled as `Math.*` rounded to
 * float32 would). Each takes a local holding x and leaves the result on the stack, using the
 * scratch locals it declares on the function once ({@link MathLocals}).
 */
import { F32, Fn, V128, get, i32, op, seq, set, tee, vF32, vI32, type Code } from './asm.js';

/** Scratch vector locals shared by the math generators of one function. */
export interface MathLocals {
  readonly t: number;
  readonly r: number;
  readonly p: number;
  readonly n: number;
  readonly z: number;
}

/** Declares the scratch locals on `f`. */
export function mathLocals(f: Fn): MathLocals {
  return { t: f.local(V128), r: f.local(V128), p: f.local(V128), n: f.local(V128), z: f.local(V128) };
}

/** Horner evaluation: c[0]·x^(k-1) + ... + c[k-1], with x in local `x`. */
function horner(x: number, c: readonly number[]): Code {
  const out: (number | Code)[] = [vF32(c[0] as number)];
  for (let i = 1; i < c.length; i++) out.push(get(x), op.fMul, vF32(c[i] as number), op.fAdd);
  return seq(...out);
}

/** exp(x) with x in local `x`. */
export function expCode(x: number, L: MathLocals): Code {
  return seq(
    // t = clamp(x); n = nearest(t·log2e); r = t - n·C1 - n·C2
    get(x), vF32(-104), op.fMax, vF32(89), op.fMin, set(L.t),
    get(L.t), vF32(Math.LOG2E), op.fMul, op.fNearest, set(L.n),
    get(L.t), get(L.n), vF32(0.693359375), op.fMul, op.fSub, get(L.n), vF32(-2.12194440e-4), op.fMul, op.fSub, set(L.r),
    // p = poly(r)·r² + r + 1
    horner(L.r, [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]),
    get(L.r), op.fMul, get(L.r), op.fMul, get(L.r), op.fAdd, vF32(1), op.fAdd, set(L.p),
    // 2^n as two factors 2^(n>>1)·2^(n - (n>>1)) so that subnormal results round once, correctly
    get(L.n), op.iTruncSat, tee(L.n), i32(1), op.iShrS, set(L.z),
    get(L.p), get(L.z), vI32(127), op.iAdd, i32(23), op.iShl, op.fMul,
    get(L.n), get(L.z), op.iSub, vI32(127), op.iAdd, i32(23), op.iShl, op.fMul,
  );
}

/** log(x) with x in local `x` (x < 0 or NaN: NaN; 0: -Infinity; +Infinity: +Infinity). */
export function logCode(x: number, L: MathLocals): Code {
  return seq(
    // scale subnormals up by 2^23: t = x < 2^-126 ? x·2^23 : x; z = exponent correction
    get(x), vF32(8388608), op.fMul, get(x), get(x), vF32(1.17549435e-38), op.fLt, tee(L.z), op.vSelect, set(L.t),
    get(L.z), vI32(-23), op.vAnd, set(L.z),
    // n = exponent (as i32), r = mantissa in [0.5, 1)
    get(L.t), i32(23), op.iShrS, vI32(0xff), op.vAnd, vI32(126), op.iSub, get(L.z), op.iAdd, set(L.n),
    get(L.t), vI32(0x807fffff), op.vAnd, vI32(0x3f000000), op.vOr, set(L.r),
    // if r < sqrt(1/2): n -= 1, r = 2r - 1 else r = r - 1
    get(L.r), vF32(0.707106781186547524), op.fLt, set(L.z),
    get(L.n), get(L.z), op.iAdd, op.fConvertI, set(L.n),
    get(L.r), get(L.r), get(L.z), op.vAnd, op.fAdd, vF32(1), op.fSub, set(L.r),
    // y = poly(r)·r·r² - 2.12194440e-4·n - r²/2; result = r + y + 0.693359375·n
    get(L.r), get(L.r), op.fMul, set(L.z),
    horner(L.r, [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]),
    get(L.r), op.fMul, get(L.z), op.fMul,
    get(L.n), vF32(-2.12194440e-4), op.fMul, op.fAdd,
    get(L.z), vF32(0.5), op.fMul, op.fSub,
    get(L.r), op.fAdd, get(L.n), vF32(0.693359375), op.fMul, op.fAdd, set(L.p),
    // special values
    vF32(-Infinity), get(L.p), get(x), vF32(0), op.fEq, op.vSelect, set(L.p),
    vF32(Infinity), get(L.p), get(x), vF32(Infinity), op.fEq, op.vSelect, set(L.p),
    get(L.p), vF32(NaN), get(x), vF32(0), op.fGe, op.vSelect,
  );
}

/** tanh(x) with x in local `x`; uses local `y` (a second scratch vector) as well. */
export function tanhCode(x: number, y: number, L: MathLocals): Code {
  return seq(
    // large |x|: 1 - 2/(exp(2|x|) + 1) with x's sign
    get(x), op.fAbs, tee(L.t), get(L.t), op.fAdd, set(y),
    vF32(1), vF32(2), expCode(y, L), vF32(1), op.fAdd, op.fDiv, op.fSub, set(y),
    get(y), get(x), vI32(0x80000000), op.vAnd, op.vOr, set(y),
    // |x| < 0.625: x + x·z·poly(z), z = x²
    get(x), get(x), op.fMul, set(L.r),
    horner(L.r, [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1]),
    get(L.r), op.fMul, get(x), op.fMul, get(x), op.fAdd,
    get(y), get(x), op.fAbs, vF32(0.625), op.fLt, op.vSelect,
  );
}

/** sigmoid(x) = 1 / (1 + exp(-x)) with x in local `x`; uses local `y` as well. */
export function sigmoidCode(x: number, y: number, L: MathLocals): Code {
  return seq(get(x), op.fNeg, set(y), vF32(1), vF32(1), expCode(y, L), op.fAdd, op.fDiv);
}
void F32;
