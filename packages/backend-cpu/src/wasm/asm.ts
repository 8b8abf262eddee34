/**
 * A minimal WebAssembly binary assembler: enough to write the CPU backend's SIMD kernels in
 * TypeScript and turn them into a module at run time (no build step, no binary blob, no
 * dependency). Instructions are plain byte arrays; {@link Fn} collects a function body with its
 * locals and {@link assemble} builds a module that imports one linear memory (`env.mem`) and
 * exports every named function.
 */

/** A sequence of instruction bytes. */
export type Code = readonly number[];

/** Value types. */
export const I32 = 0x7f;
/** 64-bit float value type. */
export const F64 = 0x7c;
/** 32-bit float value type. */
export const F32 = 0x7d;
/** 128-bit vector value type. */
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit range). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: readonly Code[]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: Code): number[] => [id, ...uleb(bytes.length), ...bytes];
const utf8 = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

/** Concatenates instructions (numbers or byte arrays) into one sequence. */
export function seq(...parts: (number | Code)[]): Code {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else for (const b of p) out.push(b);
  }
  return out;
}

/** `local.get i`. */
export const get = (i: number): Code => [0x20, ...uleb(i)];
/** `local.set i`. */
export const set = (i: number): Code => [0x21, ...uleb(i)];
/** `local.tee i`. */
export const tee = (i: number): Code => [0x22, ...uleb(i)];
/** `i32.const n`. */
export const i32 = (n: number): Code => [0x41, ...sleb(n)];
/** `f32.const x`. */
export const f32 = (x: number): Code => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];
/** `f64.const x`. */
export const f64 = (x: number): Code => [0x44, ...new Uint8Array(new Float64Array([x]).buffer)];
/** `call f` (function index). */
export const call = (f: number): Code => [0x10, ...uleb(f)];
/** A SIMD instruction (0xfd prefix). */
export const simd = (op: number): Code => [0xfd, ...uleb(op)];
/** A memory instruction with a natural-alignment hint and a constant byte offset. */
const mem = (op: number[], align: number) => (offset = 0): Code => [...op, align, ...uleb(offset)];

/** Scalar memory access, each `(offset?)`. */
export const i32Load = mem([0x28], 2);
/** `f32.load`. */
export const f32Load = mem([0x2a], 2);
/** `f32.store`. */
export const f32Store = mem([0x38], 2);
/** `f64.store`. */
export const f64Store = mem([0x39], 3);
/** `v128.load` (unaligned accesses are allowed; the hint says 4-byte alignment). */
export const vLoad = mem([0xfd, 0x00], 2);
/** `v128.store`. */
export const vStore = mem([0xfd, 0x0b], 2);
/** `v128.load32_splat`. */
export const vLoadSplat = mem([0xfd, 0x09], 2);

/** Opcodes without immediates. */
export const op = {
  i32Add: [0x6a], i32Sub: [0x6b], i32Mul: [0x6c], i32Shl: [0x74], i32ShrS: [0x75], i32And: [0x71],
  i32LtU: [0x49], i32LtS: [0x48], i32GeU: [0x4f], i32GtU: [0x4b], i32Eqz: [0x45], i32Ne: [0x47], i32Eq: [0x46],
  f32Add: [0x92], f32Sub: [0x93], f32Mul: [0x94], f32Div: [0x95], f32Min: [0x96], f32Max: [0x97],
  f64Add: [0xa0], f64PromoteF32: [0xbb], f32DemoteF64: [0xb6], f64Max: [0xa5],
  select: [0x1b], drop: [0x1a], ret: [0x0f],
  fSplat: simd(0x13), iSplat: simd(0x11), dSplat: simd(0x14), fExtract: (l: number): Code => [...simd(0x1f), l],
  dExtract: (l: number): Code => [...simd(0x21), l],
  fEq: simd(0x41), fNe: simd(0x42), fLt: simd(0x43), fGt: simd(0x44), fLe: simd(0x45), fGe: simd(0x46),
  vAnd: simd(0x4e), vAndNot: simd(0x4f), vOr: simd(0x50), vXor: simd(0x51), vSelect: simd(0x52),
  fAbs: simd(0xe0), fNeg: simd(0xe1), fSqrt: simd(0xe3), fAdd: simd(0xe4), fSub: simd(0xe5),
  fMul: simd(0xe6), fDiv: simd(0xe7), fMin: simd(0xe8), fMax: simd(0xe9), fNearest: simd(0x6a),
  iTruncSat: simd(0xf8), fConvertI: simd(0xfa), iAdd: simd(0xae), iSub: simd(0xb1), iShl: simd(0xab),
  iShrS: simd(0xac), iShrU: simd(0xad), iEq: simd(0x37), iGtS: simd(0x3b), iLtS: simd(0x39),
  dPromoteLow: simd(0x5f), iNarrow16: simd(0x85), bNarrow8: simd(0x65), vLoad32Zero: simd(0x5c),
  extendLow8: simd(0x89), extendLow16: simd(0xa9), iNe: simd(0x38), dAdd: simd(0xf0), dMax: simd(0xf5),
  /** relaxed SIMD `f32x4.relaxed_madd` (a·b + c, fused or not). */
  fMadd: simd(0x105),
  /** `i8x16.shuffle` moving the high 64 bits of the first operand to the low half. */
  highToLow: [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
} as const;

/** `v128.const` with four equal i32 lanes. */
export const vI32 = (n: number): Code => [...simd(0x0c), ...Array.from({ length: 4 }, () => [...new Uint8Array(new Int32Array([n]).buffer)]).flat()];
/** `v128.const` with four equal f32 lanes. */
export const vF32 = (x: number): Code => [...simd(0x0c), ...Array.from({ length: 4 }, () => [...new Uint8Array(new Float32Array([x]).buffer)]).flat()];

/** A function under construction: its signature, locals and body. */
export class Fn {
  private readonly locals: number[] = [];
  private readonly body: number[] = [];

  /** A function exported as `name` (null: internal) with params and results (value types). */
  constructor(
    readonly name: string | null,
    readonly params: readonly number[],
    readonly results: readonly number[] = [],
  ) {}

  /** Declares a local of `type` and returns its index. */
  local(type: number): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** Appends instructions (numbers or byte arrays). */
  emit(...parts: (number | Code)[]): this {
    for (const p of parts) {
      if (typeof p === 'number') this.body.push(p);
      else for (const b of p) this.body.push(b);
    }
    return this;
  }

  /**
   * `for (i = start; i < end (unsigned); i += step) body` with `i` a local; `start`, `end` and
   * `step` are code pushing one i32 each (`end` is re-evaluated every iteration).
   */
  loop(i: number, start: Code, end: Code, step: Code, body: () => void): this {
    this.emit(start, set(i), 0x02, 0x40, 0x03, 0x40);
    this.emit(get(i), end, op.i32GeU, 0x0d, 1);
    body();
    this.emit(get(i), step, op.i32Add, set(i), 0x0c, 0, 0x0b, 0x0b);
    return this;
  }

  /** `if (cond) then else other` without results. */
  if(cond: Code, then: () => void, other?: () => void): this {
    this.emit(cond, 0x04, 0x40);
    then();
    if (other !== undefined) {
      this.emit(0x05);
      other();
    }
    return this.emit(0x0b);
  }

  /** The encoded body (locals + code + end). */
  encode(): number[] {
    const groups: number[][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === t) last[0] = (last[0] as number) + 1;
      else groups.push([1, t]);
    }
    const body = [...vec(groups.map(([n, t]) => [...uleb(n as number), t as number])), ...this.body, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/** Options of {@link assemble}. */
export interface MemoryImport {
  /** Initial pages (64 KiB). */
  initial: number;
  /** Maximum pages. */
  maximum: number;
  /** Whether the memory is shared (threads). */
  shared: boolean;
}

/**
 * Builds a module importing memory `env.mem` and defining `fns` in order (function index = position),
 * exporting those with a name.
 */
export function assemble(fns: readonly Fn[], memory: MemoryImport): Uint8Array<ArrayBuffer> {
  const sigs: string[] = [];
  const types: number[][] = [];
  const typeOf = fns.map((f) => {
    const key = `${f.params.join(',')}>${f.results.join(',')}`;
    let idx = sigs.indexOf(key);
    if (idx < 0) {
      idx = sigs.push(key) - 1;
      types.push([0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
    }
    return idx;
  });
  const limits = [memory.shared ? 3 : 1, ...uleb(memory.initial), ...uleb(memory.maximum)];
  const exports = fns.flatMap((f, i) => (f.name === null ? [] : [[...utf8(f.name), 0, ...uleb(i)]]));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...section(2, vec([[...utf8('env'), ...utf8('mem'), 2, ...limits]])),
    ...section(3, vec(typeOf.map((t) => uleb(t)))),
    ...section(7, vec(exports)),
    ...section(10, vec(fns.map((f) => f.encode()))),
  ]);
}
