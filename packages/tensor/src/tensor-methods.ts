/**
 * Attaches the op front-ends to `Tensor` as methods (`a.add(b)`, `x.sum(1, true)`, `w.add_(g)`),
 * so the Tensor class itself stays small. Imported once by the package entry.
 */
import { DTYPES, type DType } from './dtype.js';
import * as cv from './ops/conv.js';
import * as ew from './ops/elementwise.js';
import * as ix from './ops/indexing.js';
import { index, type IndexItem } from './ops/index-spec.js';
import * as ip from './ops/inplace.js';
import * as jn from './ops/join.js';
import * as mm from './ops/matmul.js';
import { cast, type TensorOrScalar } from './ops/operands.js';
import * as rd from './ops/reduce.js';
import * as sh from './ops/shape-ops.js';
import * as sm from './ops/softmax.js';
import { Tensor } from './tensor.js';

type Dims = rd.Dims;
type RO = rd.ReduceOptions;

declare module './tensor.js' {
  interface Tensor {
    add(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
    sub(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
    mul(other: TensorOrScalar): Tensor;
    div(other: TensorOrScalar, options?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor;
    pow(exponent: TensorOrScalar): Tensor;
    maximum(other: TensorOrScalar): Tensor;
    minimum(other: TensorOrScalar): Tensor;
    neg(): Tensor; exp(): Tensor; log(): Tensor; sqrt(): Tensor; rsqrt(): Tensor; abs(): Tensor;
    sign(): Tensor; sin(): Tensor; cos(): Tensor; tanh(): Tensor; sigmoid(): Tensor; relu(): Tensor;
    gelu(options?: { approximate?: 'none' | 'tanh' }): Tensor; erf(): Tensor; floor(): Tensor; ceil(): Tensor;
    round(): Tensor; trunc(): Tensor; log1p(): Tensor; expm1(): Tensor; reciprocal(): Tensor; square(): Tensor;
    logicalNot(): Tensor; isnan(): Tensor; isinf(): Tensor; isfinite(): Tensor;
    eq(other: TensorOrScalar): Tensor; ne(other: TensorOrScalar): Tensor; lt(other: TensorOrScalar): Tensor;
    le(other: TensorOrScalar): Tensor; gt(other: TensorOrScalar): Tensor; ge(other: TensorOrScalar): Tensor;
    logicalAnd(other: TensorOrScalar): Tensor; logicalOr(other: TensorOrScalar): Tensor;
    where(condition: Tensor, other: TensorOrScalar): Tensor;
    maskedFill(mask: Tensor, value: number): Tensor;
    clamp(options: { min?: number | null; max?: number | null }): Tensor;
    sum(dim?: Dims | RO, keepdim?: boolean): Tensor;
    prod(dim?: Dims | RO, keepdim?: boolean): Tensor;
    mean(dim?: Dims | RO, keepdim?: boolean): Tensor;
    amax(dim?: Dims | RO, keepdim?: boolean): Tensor;
    amin(dim?: Dims | RO, keepdim?: boolean): Tensor;
    max(): Tensor; max(other: Tensor): Tensor; max(dim: number, keepdim?: boolean): rd.ValuesIndices;
    min(): Tensor; min(other: Tensor): Tensor; min(dim: number, keepdim?: boolean): rd.ValuesIndices;
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    var(dim?: Dims | rd.VarOptions, keepdim?: boolean): Tensor;
    std(dim?: Dims | rd.VarOptions, keepdim?: boolean): Tensor;
    logsumexp(dim: Dims, keepdim?: boolean): Tensor;
    norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean): Tensor;
    all(dim?: Dims, keepdim?: boolean): Tensor;
    any(dim?: Dims, keepdim?: boolean): Tensor;
    matmul(other: Tensor): Tensor; mm(other: Tensor): Tensor; bmm(other: Tensor): Tensor; dot(other: Tensor): Tensor;
    reshape(...shape: number[] | [readonly number[]]): Tensor;
    view(...shape: number[] | [readonly number[]]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    permute(...dims: number[] | [readonly number[]]): Tensor;
    t(): Tensor;
    /** Transpose of a 2-D tensor (PyTorch's `.T` for matrices). */
    readonly T: Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    expand(...shape: number[] | [readonly number[]]): Tensor;
    expandAs(other: Tensor): Tensor;
    clone(): Tensor;
    contiguous(): Tensor;
    detach(): Tensor;
    movedim(source: number, destination: number): Tensor;
    repeat(...repeats: number[] | [readonly number[]]): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
    index(...items: IndexItem[]): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    indexAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    maskedSelect(mask: Tensor): Tensor;
    nonzero(): Tensor;
    split(splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    unfold2d(kernelSize: cv.Size2, options?: cv.UnfoldOptions): Tensor;
    /** A converted copy: `to('float64')` changes dtype, `to('webgpu')` moves to another backend. */
    to(target: DType | string | { dtype?: DType; backend?: string }): Tensor;
    /** Like `to`, reading asynchronously (works from every backend). */
    toAsync(target: DType | string | { dtype?: DType; backend?: string }): Promise<Tensor>;
    float(): Tensor; double(): Tensor; int(): Tensor; bool(): Tensor;
    copy_(src: Tensor): Tensor;
    fill_(value: number): Tensor;
    zero_(): Tensor;
    add_(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
    sub_(other: TensorOrScalar, options?: { alpha?: number }): Tensor;
    mul_(other: TensorOrScalar): Tensor;
    div_(other: TensorOrScalar): Tensor;
    clamp_(options: { min?: number | null; max?: number | null }): Tensor;
    maskedFill_(mask: Tensor, value: number): Tensor;
    uniform_(from?: number, to?: number): Tensor;
    normal_(mean?: number, std?: number): Tensor;
  }
}

function shapeArgs(args: readonly unknown[]): number[] {
  return (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as number[];
}

function splitTarget(target: DType | string | { dtype?: DType; backend?: string }): { dtype?: DType; backend?: string } {
  if (typeof target === 'string') return DTYPES.includes(target as DType) ? { dtype: target as DType } : { backend: target };
  return target;
}

const methods: Partial<Record<keyof Tensor, unknown>> & ThisType<Tensor> = {
  add(o: TensorOrScalar, opts?: { alpha?: number }) { return ew.add(this, o, opts); },
  sub(o: TensorOrScalar, opts?: { alpha?: number }) { return ew.sub(this, o, opts); },
  mul(o: TensorOrScalar) { return ew.mul(this, o); },
  div(o: TensorOrScalar, opts?: { roundingMode?: 'trunc' | 'floor' | null }) { return ew.div(this, o, opts); },
  pow(o: TensorOrScalar) { return ew.pow(this, o); },
  maximum(o: TensorOrScalar) { return ew.maximum(this, o); },
  minimum(o: TensorOrScalar) { return ew.minimum(this, o); },
  neg() { return ew.neg(this); }, exp() { return ew.exp(this); }, log() { return ew.log(this); },
  sqrt() { return ew.sqrt(this); }, rsqrt() { return ew.rsqrt(this); }, abs() { return ew.abs(this); },
  sign() { return ew.sign(this); }, sin() { return ew.sin(this); }, cos() { return ew.cos(this); },
  tanh() { return ew.tanh(this); }, sigmoid() { return ew.sigmoid(this); }, relu() { return ew.relu(this); },
  gelu(opts?: { approximate?: 'none' | 'tanh' }) { return ew.gelu(this, opts); }, erf() { return ew.erf(this); },
  floor() { return ew.floor(this); }, ceil() { return ew.ceil(this); }, round() { return ew.round(this); },
  trunc() { return ew.trunc(this); }, log1p() { return ew.log1p(this); }, expm1() { return ew.expm1(this); },
  reciprocal() { return ew.reciprocal(this); }, square() { return ew.square(this); },
  logicalNot() { return ew.logicalNot(this); }, isnan() { return ew.isnan(this); }, isinf() { return ew.isinf(this); },
  isfinite() { return ew.isfinite(this); },
  eq(o: TensorOrScalar) { return ew.eq(this, o); }, ne(o: TensorOrScalar) { return ew.ne(this, o); },
  lt(o: TensorOrScalar) { return ew.lt(this, o); }, le(o: TensorOrScalar) { return ew.le(this, o); },
  gt(o: TensorOrScalar) { return ew.gt(this, o); }, ge(o: TensorOrScalar) { return ew.ge(this, o); },
  logicalAnd(o: TensorOrScalar) { return ew.logicalAnd(this, o); }, logicalOr(o: TensorOrScalar) { return ew.logicalOr(this, o); },
  where(cond: Tensor, other: TensorOrScalar) { return ew.where(cond, this, other); },
  maskedFill(mask: Tensor, value: number) { return ew.maskedFill(this, mask, value); },
  clamp(opts: { min?: number | null; max?: number | null }) { return ew.clamp(this, opts); },
  sum(d?: Dims | RO, k?: boolean) { return rd.sum(this, d, k); },
  prod(d?: Dims | RO, k?: boolean) { return rd.prod(this, d, k); },
  mean(d?: Dims | RO, k?: boolean) { return rd.mean(this, d, k); },
  amax(d?: Dims | RO, k?: boolean) { return rd.amax(this, d, k); },
  amin(d?: Dims | RO, k?: boolean) { return rd.amin(this, d, k); },
  max(d?: number | Tensor, k?: boolean) { return (rd.max as (x: Tensor, d?: number | Tensor, k?: boolean) => unknown)(this, d, k); },
  min(d?: number | Tensor, k?: boolean) { return (rd.min as (x: Tensor, d?: number | Tensor, k?: boolean) => unknown)(this, d, k); },
  argmax(d?: number | null, k?: boolean) { return rd.argmax(this, d, k); },
  argmin(d?: number | null, k?: boolean) { return rd.argmin(this, d, k); },
  var(d?: Dims | rd.VarOptions, k?: boolean) { return rd.variance(this, d, k); },
  std(d?: Dims | rd.VarOptions, k?: boolean) { return rd.std(this, d, k); },
  logsumexp(d: Dims, k?: boolean) { return rd.logsumexp(this, d, k); },
  norm(p?: number | 'fro', d?: Dims, k?: boolean) { return rd.norm(this, p, d, k); },
  all(d?: Dims, k?: boolean) { return rd.all(this, d, k); },
  any(d?: Dims, k?: boolean) { return rd.any(this, d, k); },
  matmul(o: Tensor) { return mm.matmul(this, o); }, mm(o: Tensor) { return mm.mm(this, o); },
  bmm(o: Tensor) { return mm.bmm(this, o); }, dot(o: Tensor) { return mm.dot(this, o); },
  reshape(...s: unknown[]) { return sh.reshape(this, shapeArgs(s)); },
  view(...s: unknown[]) { return sh.view(this, shapeArgs(s)); },
  flatten(s?: number, e?: number) { return sh.flatten(this, s, e); },
  unflatten(d: number, sizes: readonly number[]) { return sh.unflatten(this, d, sizes); },
  transpose(a: number, b: number) { return sh.transpose(this, a, b); },
  permute(...d: unknown[]) { return sh.permute(this, shapeArgs(d)); },
  t() { return sh.t(this); },
  squeeze(d?: number | readonly number[]) { return sh.squeeze(this, d); },
  unsqueeze(d: number) { return sh.unsqueeze(this, d); },
  expand(...s: unknown[]) { return sh.expand(this, shapeArgs(s)); },
  expandAs(o: Tensor) { return sh.expandAs(this, o); },
  clone() { return sh.clone(this); }, contiguous() { return sh.contiguous(this); }, detach() { return sh.detach(this); },
  movedim(s: number, d: number) { return sh.movedim(this, s, d); },
  repeat(...r: unknown[]) { return jn.repeat(this, shapeArgs(r)); },
  narrow(d: number, s: number, l: number) { return ix.narrow(this, d, s, l); },
  select(d: number, i: number) { return ix.select(this, d, i); },
  slice(d: number, s?: number | null, e?: number | null, st?: number) { return ix.slice(this, d, s, e, st); },
  index(...items: IndexItem[]) { return index(this, ...items); },
  indexSelect(d: number, i: Tensor) { return ix.indexSelect(this, d, i); },
  indexAdd(d: number, i: Tensor, s: Tensor) { return ix.indexAdd(this, d, i, s); },
  gather(d: number, i: Tensor) { return ix.gather(this, d, i); },
  scatter(d: number, i: Tensor, s: Tensor | number) { return ix.scatter(this, d, i, s); },
  scatterAdd(d: number, i: Tensor, s: Tensor) { return ix.scatterAdd(this, d, i, s); },
  maskedSelect(m: Tensor) { return ix.maskedSelect(this, m); },
  nonzero() { return ix.nonzero(this); },
  split(s: number | readonly number[], d?: number) { return jn.split(this, s, d); },
  chunk(c: number, d?: number) { return jn.chunk(this, c, d); },
  unbind(d?: number) { return jn.unbind(this, d); },
  softmax(d: number) { return sm.softmax(this, d); },
  logSoftmax(d: number) { return sm.logSoftmax(this, d); },
  unfold2d(k: cv.Size2, o?: cv.UnfoldOptions) { return cv.unfold(this, k, o); },
  to(target: DType | string | { dtype?: DType; backend?: string }) {
    const { dtype, backend } = splitTarget(target);
    const moved = backend === undefined ? this : ip.toBackend(this, backend);
    return dtype === undefined ? moved : cast(moved, dtype);
  },
  async toAsync(target: DType | string | { dtype?: DType; backend?: string }) {
    const { dtype, backend } = splitTarget(target);
    const moved = backend === undefined ? this : await ip.toBackendAsync(this, backend);
    return dtype === undefined ? moved : cast(moved, dtype);
  },
  float() { return cast(this, 'float32'); }, double() { return cast(this, 'float64'); },
  int() { return cast(this, 'int32'); }, bool() { return cast(this, 'bool'); },
  copy_(src: Tensor) { return ip.copy_(this, src); },
  fill_(v: number) { return ip.fill_(this, v); },
  zero_() { return ip.zero_(this); },
  add_(o: TensorOrScalar, opts?: { alpha?: number }) { return ip.add_(this, o, opts); },
  sub_(o: TensorOrScalar, opts?: { alpha?: number }) { return ip.sub_(this, o, opts); },
  mul_(o: TensorOrScalar) { return ip.mul_(this, o); },
  div_(o: TensorOrScalar) { return ip.div_(this, o); },
  clamp_(opts: { min?: number | null; max?: number | null }) { return ip.clamp_(this, opts); },
  maskedFill_(m: Tensor, v: number) { return ip.maskedFill_(this, m, v); },
  uniform_(a?: number, b?: number) { return ip.uniform_(this, a, b); },
  normal_(m?: number, s?: number) { return ip.normal_(this, m, s); },
};

Object.assign(Tensor.prototype, methods);
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return this.ndim <= 2 ? sh.t(this) : sh.permute(this, this.shape.map((_, i) => this.ndim - 1 - i));
  },
  configurable: true,
});
