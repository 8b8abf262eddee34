/**
 * WASM loops for float32 comparisons (→ bool bytes 0/1) and `where` (bool condition choosing
 * between two float32 operands), over same-shape operands or a scalar one. Vector loops over
 * whole vectors (16 elements for comparisons, 4 for where) into padded scratch buffers.
 */
import { Fn, I32, V128, get, i32, op, seq, set, simd, vI32, vLoad, vStore, type Code } from './asm.js';

/** Comparison kernels with a WASM loop, and their f32x4 opcodes. */
export const WASM_COMPARE: Readonly<Record<string, Code>> = { eq: op.fEq, ne: op.fNe, lt: op.fLt, le: op.fLe, gt: op.fGt, ge: op.fGe };

/** `cmp_<name>_<variant>(a, b, out, n)`: out[i] = a[i] op b[i] as a byte 0/1 ('vs': b scalar, 'sv': a scalar). */
function compare(name: string, variant: 'vv' | 'vs' | 'sv'): Fn {
  const f = new Fn(`cmp_${name}_${variant}`, [I32, I32, I32, I32]);
  const [A, B, OUT, N] = [0, 1, 2, 3];
  const [i, o] = [f.local(I32), f.local(I32)];
  const s = f.local(V128);
  const m = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  if (variant === 'vs') f.emit(get(B), [0xfd, 0x09, 2, 0], set(s));
  if (variant === 'sv') f.emit(get(A), [0xfd, 0x09, 2, 0], set(s));
  f.emit(get(OUT), set(o));
  f.loop(i, i32(0), seq(get(N), i32(2), op.i32Shl), i32(64), () => {
    for (let q = 0; q < 4; q++) {
      const lhs = variant === 'sv' ? get(s) : seq(get(A), get(i), op.i32Add, vLoad(16 * q));
      const rhs = variant === 'vs' ? get(s) : seq(get(B), get(i), op.i32Add, vLoad(16 * q));
      f.emit(lhs, rhs, WASM_COMPARE[name] as Code, set(m[q] as number));
    }
    f.emit(get(o), get(m[0] as number), get(m[1] as number), op.iNarrow16, get(m[2] as number), get(m[3] as number), op.iNarrow16, op.bNarrow8);
    f.emit(simd(0x0c), new Array<number>(16).fill(1), op.vAnd, vStore());
    f.emit(get(o), i32(16), op.i32Add, set(o));
  });
  return f;
}

/** `where_<variant>(cond, a, b, out, n)`: out[i] = cond[i] ? a : b, where a/b are vectors ('v') or scalars ('s'). */
function where(variant: 'vv' | 'vs' | 'sv' | 'ss'): Fn {
  const f = new Fn(`where_${variant}`, [I32, I32, I32, I32, I32]);
  const [C, A, B, OUT, N] = [0, 1, 2, 3, 4];
  const [i, c] = [f.local(I32), f.local(I32)];
  const [sa, sb] = [f.local(V128), f.local(V128)];
  if (variant[0] === 's') f.emit(get(A), [0xfd, 0x09, 2, 0], set(sa));
  if (variant[1] === 's') f.emit(get(B), [0xfd, 0x09, 2, 0], set(sb));
  f.emit(get(C), set(c));
  f.loop(i, i32(0), seq(get(N), i32(2), op.i32Shl), i32(16), () => {
    f.emit(get(OUT), get(i), op.i32Add);
    f.emit(variant[0] === 's' ? get(sa) : seq(get(A), get(i), op.i32Add, vLoad()));
    f.emit(variant[1] === 's' ? get(sb) : seq(get(B), get(i), op.i32Add, vLoad()));
    f.emit(get(c), op.vLoad32Zero, 2, 0, op.extendLow8, op.extendLow16, vI32(0), op.iNe, op.vSelect, vStore());
    f.emit(get(c), i32(4), op.i32Add, set(c));
  });
  return f;
}

/** The comparison and where functions of the module. */
export function selectFns(): Fn[] {
  return [
    ...Object.keys(WASM_COMPARE).flatMap((n) => (['vv', 'vs', 'sv'] as const).map((v) => compare(n, v))),
    ...(['vv', 'vs', 'sv', 'ss'] as const).map(where),
  ];
}
