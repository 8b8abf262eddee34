/**
 * The op cases of the golden folder (`ops/`): Backstep's call for each PyTorch op
 * ({@link runGoldenOp}) and the check of one case in one dtype ({@link goldenOpProblems}), shared
 * by the CPU suite (packages/autograd) and the WebGPU suite (packages/backend-webgpu), which
 * differ only in their engine, their dtypes and how they read values.
 */
import * as T from '@backstep/tensor';
import type { DType, IndexItem, Tensor } from '@backstep/tensor';
import { makeInput, makeTensor, type GoldenCase, type GoldenInputs, type GoldenRun } from './golden.js';

/** What {@link runGoldenOp} returns: the output and any extra outputs (e.g. `max`'s indices). */
export interface GoldenOpResult {
  out: Tensor;
  extra?: Record<string, Tensor>;
}

type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function indexItems(args: Args, x: GoldenInputs): IndexItem[] {
  return (args.index as Array<Record<string, any>>).map((it) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    switch (it.type) {
      case 'int': return it.value as number;
      case 'slice': return T.sl(it.start, it.stop, it.step);
      case 'ellipsis': return '...';
      case 'tensor': return it.values as number[];
      case 'mask': return x[it.input] as Tensor;
      default: throw new Error(`unknown index item ${JSON.stringify(it)}`);
    }
  });
}

/** Runs a case's op with Backstep's API on the case's inputs; returns the output and any extra outputs. */
export function runGoldenOp(c: GoldenCase, x: GoldenInputs): GoldenOpResult {
  const a = c.args as Args;
  const v = Object.values(x);
  switch (c.op) {
    case 'add': return { out: T.add(x.a!, x.b!, { alpha: a.alpha }) };
    case 'sub': return { out: T.sub(x.a!, x.b!) };
    case 'rsub': return { out: T.sub(a.scalar, x.a!) };
    case 'mul': return { out: a.scalar !== undefined ? x.a!.mul(a.scalar) : x.a!.mul(x.b!) };
    case 'div': return { out: x.a!.div(x.b!) };
    case 'rdiv': return { out: T.div(a.scalar, x.a!) };
    case 'matmul': return { out: x.a!.matmul(x.b ?? x.v!) };
    case 'sum': return { out: a.dim === null ? x.x!.sum() : x.x!.sum(a.dim, a.keepdim) };
    case 'mean': return { out: a.dim === null ? x.x!.mean() : x.x!.mean(a.dim, a.keepdim) };
    case 'max': {
      if (a.dim === null) return { out: x.x!.max() };
      const [values, indices] = x.x!.max(a.dim as number, a.keepdim as boolean);
      return { out: values, extra: { indices } };
    }
    case 'exp': case 'log': case 'tanh': case 'sigmoid': case 'relu': case 'sqrt': case 'abs': case 'neg':
      return { out: (x.x! as unknown as Record<string, () => Tensor>)[c.op as string]!.call(x.x!) };
    case 'softmax': return { out: T.softmax(x.x!, a.dim) };
    case 'log_softmax': return { out: T.logSoftmax(x.x!, a.dim) };
    case 'pow':
      if (a.base !== undefined) return { out: T.pow(a.base, x.x!) };
      if (a.exponent !== undefined) return { out: x.x!.pow(a.exponent) };
      return { out: x.a!.pow(x.b!) };
    case 'reshape': return { out: x.x!.reshape(a.shape) };
    case 'transpose': return { out: x.x!.transpose(a.dim0, a.dim1) };
    case 'permute': return { out: x.x!.permute(a.dims) };
    case 'permute+reshape': return { out: x.x!.permute(a.dims).reshape(a.shape) };
    case 'index': return { out: x.x!.index(...indexItems(a, x)) };
    case 'cat': return { out: T.cat(v, a.dim) };
    case 'stack': return { out: T.stack(v, a.dim) };
    case 'where': return { out: T.where(x.cond!, x.a!, x.b!) };
    case 'clamp': return { out: x.x!.clamp({ min: a.min, max: a.max }) };
    case 'composite':
      if (c.name === 'composite_expression') return { out: x.a!.matmul(x.b!).tanh().mul(x.c!).sum(1).exp().mean() };
      if (c.name === 'reuse_input') return { out: x.x!.mul(x.x!).add(x.x!.exp().mul(x.y!)).sub(x.x!.div(x.y!)) };
      break;
  }
  throw new Error(`golden op '${String(c.op)}' (${c.name}) has no mapping in this test`);
}

/**
 * Runs one op case in `dtype` (inputs in the default engine): the output and any extra outputs
 * (exactly) against PyTorch's, then `backward(upstreamGrad)` and every input gradient. Returns
 * the problems (empty = pass).
 */
export async function goldenOpProblems(c: GoldenCase, dtype: 'float32' | 'float64', run: GoldenRun): Promise<string[]> {
  const tol = c.tolerance[dtype];
  const expected = c[dtype];
  const inputs: GoldenInputs = {};
  for (const inp of c.inputs) inputs[inp.name] = makeInput(inp, dtype as DType);
  await run.prepareInputs?.(c, inputs);
  const { out, extra } = runGoldenOp(c, inputs);
  run.checkOutput?.(out);
  const problems = [await run.compare(out, expected.output, tol, 'output')];
  for (const [k, t] of Object.entries(expected.extraOutputs ?? {})) {
    problems.push(await run.compare(extra![k]!, t, { rtol: 0, atol: 0 }, k));
  }
  out.backward(makeTensor(c.upstreamGrad, dtype));
  for (const [name, g] of Object.entries(expected.grads)) {
    const grad = inputs[name]!.grad;
    problems.push(grad === null ? `grad of ${name} is null` : await run.compare(grad, g, tol, `grad ${name}`));
  }
  return problems.filter((p): p is string => p !== null);
}
