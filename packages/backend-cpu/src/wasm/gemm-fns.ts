/**
 * The float32 matrix-multiply functions of the WASM kernel module: a register-tiled MR×NR
 * micro-kernel (MR rows × NR = 4·NV columns of f32x4 accumulators), a B-panel packer, and a
 * cache-blocked driver (`gemm`) that walks K in blocks of KC and M in blocks of MC so that the
 * A block stays in L2 and one packed B micro-panel (KC×NR) in L1.
 *
 * All pointers and strides are byte offsets into the module's linear memory. C must have room
 * for whole MR-row tiles and whole NR-column panels (the caller pads it); rows of A past M are
 * read but their results land in the padding rows.
 */
import { Fn, I32, V128, call, seq, f32, get, i32, op, set, simd, vLoad, vLoadSplat, vStore, f32Load, f32Store, type Code } from './asm.js';

/**
 * A micro-tile: MR rows × NV f32x4 vectors. TurboFan hoists the A splats of a step above the
 * FMAs, so MR·NV accumulators + NV B vectors + MR splats must fit the 15 allocatable x64 vector
 * registers: 3×3 (15) with fused multiply-add; 4×2 (14, plus the product temporaries) without.
 */
export interface Tile {
  /** Micro-tile rows. */
  readonly MR: number;
  /** f32x4 vectors per micro-tile row. */
  readonly NV: number;
  /** Micro-tile columns (4·NV). */
  readonly NR: number;
  /** M block (a multiple of MR: the A block MC×KC stays in L2). */
  readonly MC: number;
}

/** K block (the B micro-panel KC×NR stays in L1). */
export const KC = 256;

/** The micro-tile used with (`fma`) or without relaxed-SIMD fused multiply-add. */
export function tileFor(fma: boolean): Tile {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['BACKSTEP_MK'];
  const [mr, nv] = (env ?? (fma ? '3x3' : '4x2')).split('x').map(Number) as [number, number];
  return { MR: mr, NV: nv, NR: 4 * nv, MC: mr * 32 };
}

/**
 * `mk(a, b, c, ldc, kc, acc)`: C[MR×NR] (+)= Apanel[kc×MR]·Bpanel[kc×NR] over packed panels
 * (MR floats of A and NR floats of B per p); C rows are `ldc` bytes apart. `acc` = 0
 * overwrites C, otherwise adds to it. MR·NV accumulators + NV B vectors + 1 A splat must fit
 * the 15 vector registers V8 allocates on x64 (6×2: 15).
 */
function microKernel(fma: boolean, { MR, NV, NR }: Tile): Fn {
  const f = new Fn('mk', [I32, I32, I32, I32, I32, I32]);
  const [A, B, C, LDC, KCL, ACC] = [0, 1, 2, 3, 4, 5];
  const cRow = f.local(I32);
  const acc = Array.from({ length: MR * NV }, () => f.local(V128));
  const bv = Array.from({ length: NV }, () => f.local(V128));
  const av = f.local(V128);
  f.if(get(ACC), () => {
    f.emit(get(C), set(cRow));
    for (let i = 0; i < MR; i++) {
      for (let v = 0; v < NV; v++) f.emit(get(cRow), vLoad(16 * v), set(acc[i * NV + v] as number));
      if (i < MR - 1) f.emit(get(cRow), get(LDC), op.i32Add, set(cRow));
    }
  }, () => {
    for (const a of acc) f.emit(simd(0x0c), new Array<number>(16).fill(0), set(a));
  });
  const U = 1;
  const step = (u: number): void => {
    for (let v = 0; v < NV; v++) f.emit(get(B), vLoad(16 * (u * NV + v)), set(bv[v] as number));
    for (let i = 0; i < MR; i++) {
      f.emit(get(A), vLoadSplat(4 * (u * MR + i)), set(av));
      for (let v = 0; v < NV; v++) {
        const c = acc[i * NV + v] as number;
        if (fma) f.emit(get(av), get(bv[v] as number), get(c), op.fMadd, set(c));
        else f.emit(get(c), get(av), get(bv[v] as number), op.fMul, op.fAdd, set(c));
      }
    }
  };
  // while (kc >= U) { U steps }, then the remaining step
  f.emit(0x02, 0x40, 0x03, 0x40, get(KCL), i32(U), op.i32LtU, 0x0d, 1);
  for (let u = 0; u < U; u++) step(u);
  f.emit(get(A), i32(4 * MR * U), op.i32Add, set(A), get(B), i32(4 * NR * U), op.i32Add, set(B));
  f.emit(get(KCL), i32(U), op.i32Sub, set(KCL), 0x0c, 0, 0x0b, 0x0b);
  f.if(get(KCL), () => step(0));
  f.emit(get(C), set(cRow));
  for (let i = 0; i < MR; i++) {
    for (let v = 0; v < NV; v++) f.emit(get(cRow), get(acc[i * NV + v] as number), vStore(16 * v));
    if (i < MR - 1) f.emit(get(cRow), get(LDC), op.i32Add, set(cRow));
  }
  return f;
}

/** `i8x16.shuffle` of two f32x4 operands picking float lanes (0-3: first operand, 4-7: second). */
const shuffle = (lanes: readonly [number, number, number, number]): Code => [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];

/**
 * Transposes 4 rows `r` (f32x4 locals) into 4 columns, each left on the stack by `emitCol(s, code)`
 * (`code` pushes column s = [r0[s], r1[s], r2[s], r3[s]]); `t` are 4 scratch locals.
 */
function transpose4(f: Fn, r: readonly number[], t: readonly number[], emitCol: (s: number, col: Code) => void): void {
  const [r0, r1, r2, r3] = r as [number, number, number, number];
  const [t0, t1, t2, t3] = t as [number, number, number, number];
  f.emit(get(r0), get(r1), shuffle([0, 4, 1, 5]), set(t0), get(r2), get(r3), shuffle([0, 4, 1, 5]), set(t1));
  f.emit(get(r0), get(r1), shuffle([2, 6, 3, 7]), set(t2), get(r2), get(r3), shuffle([2, 6, 3, 7]), set(t3));
  emitCol(0, seq(get(t0), get(t1), shuffle([0, 1, 4, 5])));
  emitCol(1, seq(get(t0), get(t1), shuffle([2, 3, 6, 7])));
  emitCol(2, seq(get(t2), get(t3), shuffle([0, 1, 4, 5])));
  emitCol(3, seq(get(t2), get(t3), shuffle([2, 3, 6, 7])));
}

/**
 * `packA(src, rs, cs, m, k, dst)`: packs rows [0, m) of A (element (i, p) at `src + i·rs + p·cs`)
 * into ceil(m/MR) panels of k×MR floats, zero-padding the last panel's missing rows.
 */
function packA({ MR }: Tile): Fn {
  const f = new Fn('packA', [I32, I32, I32, I32, I32, I32]);
  const [SRC, RS, CS, M, K, DST] = [0, 1, 2, 3, 4, 5];
  const [ip, p, at, i, rem, k4] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const r = Array.from({ length: 4 }, () => f.local(V128));
  const t = Array.from({ length: 4 }, () => f.local(V128));
  const simdRows = MR === 3 || MR === 4;
  /** Scalar packing of column p of a full panel (MR rows from `at`, `RS` apart). */
  const fullColumn = (): void => {
    for (let q = 0; q < MR; q++) {
      f.emit(get(DST), get(at), f32Load(), f32Store(4 * q));
      if (q < MR - 1) f.emit(get(at), get(RS), op.i32Add, set(at));
    }
  };
  f.emit(get(K), i32(-4), op.i32And, set(k4));
  f.loop(ip, i32(0), get(M), i32(MR), () => {
    f.emit(get(M), get(ip), op.i32Sub, set(rem));
    f.if(seq(get(rem), i32(MR), op.i32GeU), () => {
      if (simdRows) {
        // rows contiguous along k (cs = 4): 4 columns at a time, MR row vectors transposed to k-major
        f.if(seq(get(CS), i32(4), op.i32Eq), () => {
          f.loop(p, i32(0), get(k4), i32(4), () => {
            f.emit(get(SRC), get(ip), get(RS), op.i32Mul, op.i32Add, get(p), i32(2), op.i32Shl, op.i32Add, set(at));
            for (let q = 0; q < MR; q++) {
              f.emit(get(at), vLoad(), set(r[q] as number));
              if (q < MR - 1) f.emit(get(at), get(RS), op.i32Add, set(at));
            }
            if (MR === 4) {
              transpose4(f, r, t, (c, col) => f.emit(get(DST), col, vStore(16 * c)));
            } else {
              const [r0, r1, r2] = r as [number, number, number];
              const [u, w, y, z] = t as [number, number, number, number];
              // out0 = r0.0 r1.0 r2.0 r0.1 | out1 = r1.1 r2.1 r0.2 r1.2 | out2 = r2.2 r0.3 r1.3 r2.3
              f.emit(get(r0), get(r1), shuffle([0, 4, 1, 5]), set(u));
              f.emit(get(DST), get(u), get(r2), shuffle([0, 1, 4, 2]), vStore(0));
              f.emit(get(r1), get(r2), shuffle([1, 5, 2, 6]), set(w));
              f.emit(get(DST), get(w), get(r0), shuffle([0, 1, 6, 2]), vStore(16));
              f.emit(get(r2), get(r0), shuffle([2, 7, 2, 7]), set(y));
              f.emit(get(r1), get(r2), shuffle([3, 7, 3, 7]), set(z));
              f.emit(get(DST), get(y), get(z), shuffle([0, 1, 4, 5]), vStore(32));
            }
            f.emit(get(DST), i32(16 * MR), op.i32Add, set(DST));
          });
        }, () => f.emit(i32(0), set(p)));
        f.loop(p, get(p), get(K), i32(1), () => {
          f.emit(get(SRC), get(ip), get(RS), op.i32Mul, op.i32Add, get(p), get(CS), op.i32Mul, op.i32Add, set(at));
          fullColumn();
          f.emit(get(DST), i32(4 * MR), op.i32Add, set(DST));
        });
      } else {
        f.loop(p, i32(0), get(K), i32(1), () => {
          f.emit(get(SRC), get(ip), get(RS), op.i32Mul, op.i32Add, get(p), get(CS), op.i32Mul, op.i32Add, set(at));
          fullColumn();
          f.emit(get(DST), i32(4 * MR), op.i32Add, set(DST));
        });
      }
    }, () => {
      f.loop(p, i32(0), get(K), i32(1), () => {
        f.emit(get(SRC), get(ip), get(RS), op.i32Mul, op.i32Add, get(p), get(CS), op.i32Mul, op.i32Add, set(at));
        f.loop(i, i32(0), i32(MR), i32(1), () => {
          const to: Code = seq(get(DST), get(i), i32(2), op.i32Shl, op.i32Add);
          f.if(seq(get(i), get(rem), op.i32LtU), () => f.emit(to, get(at), f32Load(), f32Store()), () => f.emit(to, f32(0), f32Store()));
          f.emit(get(at), get(RS), op.i32Add, set(at));
        });
        f.emit(get(DST), i32(4 * MR), op.i32Add, set(DST));
      });
    });
  });
  return f;
}

/**
 * `packB(src, rs, cs, k, n, dst)`: packs columns [0, n) of B (element (p, j) at `src + p·rs + j·cs`)
 * into ceil(n/NR) panels of k×NR floats, zero-padding the last panel's missing columns.
 */
function packB({ NR, NV }: Tile): Fn {
  const f = new Fn('packB', [I32, I32, I32, I32, I32, I32]);
  const [SRC, RS, CS, K, N, DST] = [0, 1, 2, 3, 4, 5];
  const [jp, p, row, j, rem, k4, at] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const r = Array.from({ length: 4 }, () => f.local(V128));
  const t = Array.from({ length: 4 }, () => f.local(V128));
  f.emit(get(K), i32(-4), op.i32And, set(k4));
  f.loop(jp, i32(0), get(N), i32(NR), () => {
    f.emit(get(N), get(jp), op.i32Sub, set(rem));
    f.if(seq(get(CS), i32(4), op.i32Eq, get(rem), i32(NR), op.i32GeU, op.i32And), () => {
      f.loop(p, i32(0), get(K), i32(1), () => {
        f.emit(get(SRC), get(p), get(RS), op.i32Mul, op.i32Add, get(jp), i32(2), op.i32Shl, op.i32Add, set(row));
        for (let v = 0; v < NV; v++) f.emit(get(DST), get(row), vLoad(16 * v), vStore(16 * v));
        f.emit(get(DST), i32(4 * NR), op.i32Add, set(DST));
      });
    }, () => {
      f.emit(i32(0), set(p));
      // B stored transposed (rs = 4: each column contiguous along k): 4×4 blocks transposed
      f.if(seq(get(RS), i32(4), op.i32Eq, get(rem), i32(NR), op.i32GeU, op.i32And), () => {
        f.loop(p, i32(0), get(k4), i32(4), () => {
          for (let v = 0; v < NV; v++) {
            // rows jp+4v .. jp+4v+3 of the stored [N, K] matrix, columns p .. p+3
            f.emit(get(SRC), get(jp), i32(4 * v), op.i32Add, get(CS), op.i32Mul, op.i32Add, get(p), i32(2), op.i32Shl, op.i32Add, set(at));
            for (let q = 0; q < 4; q++) {
              f.emit(get(at), vLoad(), set(r[q] as number));
              if (q < 3) f.emit(get(at), get(CS), op.i32Add, set(at));
            }
            transpose4(f, r, t, (c, col) => f.emit(get(DST), col, vStore(4 * NR * c + 16 * v)));
          }
          f.emit(get(DST), i32(16 * NR), op.i32Add, set(DST));
        });
      });
      f.loop(p, get(p), get(K), i32(1), () => {
        f.emit(get(SRC), get(p), get(RS), op.i32Mul, op.i32Add, get(jp), get(CS), op.i32Mul, op.i32Add, set(row));
        f.loop(j, i32(0), i32(NR), i32(1), () => {
          const at2: Code = seq(get(DST), get(j), i32(2), op.i32Shl, op.i32Add);
          f.if(seq(get(j), get(rem), op.i32LtU), () => {
            f.emit(at2, get(row), f32Load(), f32Store());
          }, () => {
            f.emit(at2, f32(0), f32Store());
          });
          f.emit(get(row), get(CS), op.i32Add, set(row));
        });
        f.emit(get(DST), i32(4 * NR), op.i32Add, set(DST));
      });
    });
  });
  return f;
}

/**
 * `gemm(aPack, bPack, c, ldc, m, panels, k)`: C[m×(panels·NR)] = A·B over packed A panels
 * (ceil(m/MR) of k×MR) and packed B panels (of k×NR), cache-blocked by KC and MC. Calls the
 * micro-kernel at function index `mkIndex`.
 */
function gemm(mkIndex: number, { MR, NR, MC }: Tile): Fn {
  const f = new Fn('gemm', [I32, I32, I32, I32, I32, I32, I32]);
  const [AP, BP, C, LDC, M, NP, K] = [0, 1, 2, 3, 4, 5, 6];
  const [pc, kc, ic, mEnd, jr, ir, bp] = Array.from({ length: 7 }, () => f.local(I32)) as [number, number, number, number, number, number, number];
  const min = (x: Code, y: Code): Code => seq(x, y, x, y, op.i32LtU, op.select);
  f.loop(pc, i32(0), get(K), i32(KC), () => {
    f.emit(min(seq(get(K), get(pc), op.i32Sub), i32(KC)), set(kc));
    f.loop(ic, i32(0), get(M), i32(MC), () => {
      f.emit(min(seq(get(ic), i32(MC), op.i32Add), get(M)), set(mEnd));
      f.loop(jr, i32(0), get(NP), i32(1), () => {
        // bp = bPack + (jr·k + pc)·NR·4
        f.emit(get(BP), get(jr), get(K), op.i32Mul, get(pc), op.i32Add, i32(NR * 4), op.i32Mul, op.i32Add, set(bp));
        f.loop(ir, get(ic), get(mEnd), i32(MR), () => {
          // a = aPack + ir·k·4 + pc·MR·4 (ir is a multiple of MR)
          f.emit(get(AP), get(ir), get(K), op.i32Mul, i32(2), op.i32Shl, op.i32Add, get(pc), i32(4 * MR), op.i32Mul, op.i32Add);
          f.emit(get(bp));
          f.emit(get(C), get(ir), get(LDC), op.i32Mul, op.i32Add, get(jr), i32(NR * 4), op.i32Mul, op.i32Add);
          f.emit(get(LDC), get(kc), get(pc), op.i32Eqz, op.i32Eqz, call(mkIndex));
        });
      });
    });
  });
  return f;
}

/**
 * `compactRows(dst, src, toStride, fromStride, rowBytes, rows)`: moves row i from
 * `src + i·fromStride` to `dst + i·toStride` (`rowBytes` a multiple of 4), forward in 16-byte
 * vectors then floats, rows in increasing order, so `dst ≤ src` and `toStride ≤ fromStride` may
 * overlap: e.g. a C padded to whole panels into the dense layout of the result. (Not
 * `memory.copy`: engines copy shared memory with it byte by byte, several times slower.)
 */
function compactRows(): Fn {
  const f = new Fn('compactRows', [I32, I32, I32, I32, I32, I32]);
  const [DST, SRC, TO, FROM, BYTES, ROWS] = [0, 1, 2, 3, 4, 5];
  const [i, j, d, s, vec] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  f.emit(get(BYTES), i32(-16), op.i32And, set(vec));
  f.loop(i, i32(0), get(ROWS), i32(1), () => {
    f.emit(get(DST), get(i), get(TO), op.i32Mul, op.i32Add, set(d), get(SRC), get(i), get(FROM), op.i32Mul, op.i32Add, set(s));
    f.loop(j, i32(0), get(vec), i32(16), () => {
      f.emit(get(d), get(j), op.i32Add, get(s), get(j), op.i32Add, vLoad(), vStore());
    });
    f.loop(j, get(vec), get(BYTES), i32(4), () => {
      f.emit(get(d), get(j), op.i32Add, get(s), get(j), op.i32Add, f32Load(), f32Store());
    });
  });
  return f;
}

/**
 * The gemm functions, to be placed at function indices `base`, `base + 1`, ... of the module:
 * `[mk, packA, packB, gemm, compactRows]`. `fma` selects relaxed-SIMD fused multiply-add.
 */
export function gemmFns(base: number, fma: boolean): Fn[] {
  const tile = tileFor(fma);
  return [microKernel(fma, tile), packA(tile), packB(tile), gemm(base, tile), compactRows()];
}
