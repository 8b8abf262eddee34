/** Gradcheck cases for reductions, shape, indexing, matmul, softmax and conv kernels. */
import * as T from '@backstep/tensor';
import type { GradCase } from './cases.js';
import { distinct, exact, index, uniform } from './inputs.js';

const engine = (): T.Engine => T.getEngine();

/** sum, prod, max, min. */
export const REDUCE_CASES: GradCase[] = [
  { kernel: 'sum', name: 'sum (all)', inputs: () => [uniform([2, 3])], fn: (x) => T.sum(x) },
  { kernel: 'sum', name: 'sum (dims [0, 2], keepdim)', inputs: () => [uniform([2, 3, 4])], fn: (x) => T.sum(x, [0, 2], true) },
  { kernel: 'sum', name: 'sum (dim 1)', inputs: () => [uniform([2, 3, 4])], fn: (x) => T.sum(x, 1) },
  { kernel: 'sum', name: 'mean (dim -1)', inputs: () => [uniform([2, 3])], fn: (x) => T.mean(x, -1) },
  { kernel: 'prod', name: 'prod (all)', inputs: () => [uniform([2, 3], 0.5, 1.5)], fn: (x) => T.prod(x) },
  { kernel: 'prod', name: 'prod (dim 1)', inputs: () => [uniform([3, 4])], fn: (x) => T.prod(x, 1) },
  {
    kernel: 'prod',
    name: 'prod (dim 1, rows with no, one and two zeros)',
    inputs: () => [exact([0.5, 2, -1.5, 0.7, 0.5, 0, -1.5, 0.7, 0, 2, 0, 0.7], [3, 4])],
    fn: (x) => T.prod(x, 1, true),
  },
  { kernel: 'prod', name: 'prod (all, one zero)', inputs: () => [exact([0.5, 2, 0, -3], [4])], fn: (x) => T.prod(x) },
  { kernel: 'max', name: 'amax (all)', inputs: () => [distinct([3, 4])], fn: (x) => T.amax(x) },
  { kernel: 'max', name: 'amax (dim 0, keepdim)', inputs: () => [distinct([3, 4])], fn: (x) => T.amax(x, 0, true) },
  { kernel: 'min', name: 'amin (dims [0, 1])', inputs: () => [distinct([2, 3, 2])], fn: (x) => T.amin(x, [0, 1]) },
  { kernel: 'min', name: 'min (all)', inputs: () => [distinct([5])], fn: (x) => T.min(x) },
];

const region = (begin: number[], end: number[], step: number[]) => ({ begin, end, step });

/** reshape, transpose, expand, slice, sliceScatter, concat. */
export const SHAPE_CASES: GradCase[] = [
  { kernel: 'reshape', name: 'reshape', inputs: () => [uniform([2, 3])], fn: (x) => T.mul(T.reshape(x, [3, 2]), T.reshape(x, [3, 2])) },
  { kernel: 'transpose', name: 'transpose (permute [2, 0, 1])', inputs: () => [uniform([2, 3, 4])], fn: (x) => T.mul(T.permute(x, [2, 0, 1]), T.permute(x, [2, 0, 1])) },
  { kernel: 'transpose', name: 'transpose (2-D t)', inputs: () => [uniform([2, 3]), uniform([3, 2])], fn: (x, y) => T.mul(T.t(x), y) },
  { kernel: 'expand', name: 'expand [3, 1] -> [2, 3, 4]', inputs: () => [uniform([3, 1]), uniform([2, 3, 4])], fn: (x, y) => T.mul(T.expand(x, [2, 3, 4]), y) },
  { kernel: 'slice', name: 'slice (step 2)', inputs: () => [uniform([5, 3])], fn: (x) => T.slice(x, 0, 1, 5, 2) },
  { kernel: 'slice', name: 'index x[::2, -1]', inputs: () => [uniform([5, 3])], fn: (x) => x.index('::2', -1) },
  {
    kernel: 'sliceScatter',
    name: 'sliceScatter (base and src)',
    inputs: () => [uniform([4, 5]), uniform([2, 2])],
    fn: (base, src) => T.mul(engine().run('sliceScatter', [base, src], region([1, 0], [4, 4], [2, 3])), base),
  },
  { kernel: 'concat', name: 'cat (dim 1)', inputs: () => [uniform([2, 1]), uniform([2, 3]), uniform([2, 2])], fn: (a, b, c) => T.cat([a, b, c], 1) },
  { kernel: 'concat', name: 'stack (dim 0)', inputs: () => [uniform([2, 3]), uniform([2, 3])], fn: (a, b) => T.stack([a, b], 0) },
];

/** gather, scatter, scatterAdd, indexSelect, indexAdd. */
export const INDEXING_CASES: GradCase[] = [
  { kernel: 'gather', name: 'gather (dim 1, repeated indices)', inputs: () => [uniform([3, 4])], fn: (x) => T.gather(x, 1, index([0, 0, 3, 1, 2, 1, 3, 3, 0], [3, 3])) },
  { kernel: 'gather', name: 'max(dim) values', inputs: () => [distinct([3, 4])], fn: (x) => T.max(x, 1).values },
  {
    kernel: 'scatter',
    name: 'scatter (dim 0, src larger than index)',
    inputs: () => [uniform([3, 4]), uniform([3, 5])],
    fn: (x, src) => T.scatter(x, 0, index([2, 0, 1, 0, 0, 2, 2, 1], [2, 4]), src),
  },
  {
    kernel: 'scatterAdd',
    name: 'scatterAdd (dim 1, repeated indices)',
    inputs: () => [uniform([2, 3]), uniform([2, 4])],
    fn: (x, src) => T.scatterAdd(x, 1, index([0, 0, 2, 1, 2, 2, 2, 0], [2, 4]), src),
  },
  { kernel: 'indexSelect', name: 'indexSelect (repeated indices)', inputs: () => [uniform([3, 2])], fn: (x) => T.indexSelect(x, 0, index([2, 0, 2, 1])) },
  { kernel: 'indexSelect', name: 'index x[mask]', inputs: () => [uniform([2, 3])], fn: (x) => x.index(T.tensor([[true, false, true], [false, true, true]])) },
  {
    kernel: 'indexAdd',
    name: 'indexAdd (dim 1, repeated indices)',
    inputs: () => [uniform([2, 3]), uniform([2, 4])],
    fn: (x, src) => T.indexAdd(x, 1, index([2, 0, 2, 1]), src),
  },
];

/** matmul (all transpose flags and batch broadcasting), softmax, logSoftmax, im2col, col2im. */
export const DENSE_CASES: GradCase[] = [
  { kernel: 'matmul', name: 'matmul 2-D', inputs: () => [uniform([2, 3]), uniform([3, 4])], fn: T.matmul },
  { kernel: 'matmul', name: 'matmul batched', inputs: () => [uniform([2, 3, 4]), uniform([2, 4, 2])], fn: T.matmul },
  { kernel: 'matmul', name: 'matmul broadcast batch ([3,4] @ [2,4,2])', inputs: () => [uniform([3, 4]), uniform([2, 4, 2])], fn: T.matmul },
  { kernel: 'matmul', name: 'matmul broadcast batch ([2,2,3] @ [1,3,2])', inputs: () => [uniform([2, 2, 3]), uniform([1, 3, 2])], fn: T.matmul },
  { kernel: 'matmul', name: 'matmul mat-vec', inputs: () => [uniform([2, 3]), uniform([3])], fn: T.matmul },
  { kernel: 'matmul', name: 'linear (transposeB) with bias', inputs: () => [uniform([4, 3]), uniform([2, 3]), uniform([2])], fn: T.linear },
  ...([[false, false], [true, false], [false, true], [true, true]] as const).flatMap(([ta, tb]) => [
    {
      kernel: 'matmul',
      name: `batchMatmul transposeA=${ta} transposeB=${tb}, batch 1 x 2`,
      inputs: () => [uniform(ta ? [1, 3, 2] : [1, 2, 3]), uniform(tb ? [2, 4, 3] : [2, 3, 4])],
      fn: (a: T.Tensor, b: T.Tensor) => T.batchMatmul(a, b, ta, tb),
    },
    {
      kernel: 'matmul',
      name: `batchMatmul transposeA=${ta} transposeB=${tb}, batch 2 x 1`,
      inputs: () => [uniform(ta ? [2, 3, 2] : [2, 2, 3]), uniform(tb ? [1, 4, 3] : [1, 3, 4])],
      fn: (a: T.Tensor, b: T.Tensor) => T.batchMatmul(a, b, ta, tb),
    },
  ]),
  { kernel: 'softmax', name: 'softmax (dim 1)', inputs: () => [uniform([2, 4], -2, 2)], fn: (x) => T.softmax(x, 1) },
  { kernel: 'softmax', name: 'softmax (dim 0)', inputs: () => [uniform([3, 2], -2, 2)], fn: (x) => T.softmax(x, 0) },
  { kernel: 'logSoftmax', name: 'logSoftmax (dim -1)', inputs: () => [uniform([2, 4], -2, 2)], fn: (x) => T.logSoftmax(x, -1) },
  { kernel: 'logSoftmax', name: 'logSoftmax (dim 0)', inputs: () => [uniform([3, 2], -2, 2)], fn: (x) => T.logSoftmax(x, 0) },
  {
    kernel: 'im2col',
    name: 'unfold (stride 2, padding 1, dilation [1, 2])',
    inputs: () => [uniform([1, 2, 4, 5])],
    fn: (x) => T.unfold(x, [2, 2], { stride: 2, padding: 1, dilation: [1, 2] }),
  },
  {
    kernel: 'col2im',
    name: 'fold (stride 1, padding 1)',
    inputs: () => [uniform([2, 2 * 4, 16])],
    fn: (c) => T.fold(c, [3, 3], [2, 2], { padding: 1 }),
  },
  {
    kernel: 'im2col',
    name: 'conv2d (groups 2, bias, stride 2, padding 1)',
    inputs: () => [uniform([1, 4, 5, 5]), uniform([2, 2, 3, 3]), uniform([2])],
    fn: (x, w, b) => T.conv2d(x, w, b, { groups: 2, stride: 2, padding: 1 }),
  },
  { kernel: 'im2col', name: 'maxPool2d (padding 1)', inputs: () => [distinct([1, 1, 4, 4])], fn: (x) => T.maxPool2d(x, 2, { padding: 1, stride: 2 }) },
  { kernel: 'im2col', name: 'avgPool2d', inputs: () => [uniform([1, 2, 4, 4])], fn: (x) => T.avgPool2d(x, 2) },
];
