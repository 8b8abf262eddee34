/**
 * The loss cases of the golden folder (`losses/`): the loss Module for each case
 * ({@link makeGoldenLoss}) and the check of one case in one dtype ({@link goldenLossProblems}),
 * shared by the CPU suite (packages/nn) and the WebGPU suite (packages/backend-webgpu).
 */
import {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss, type Module,
} from '@backstep/nn';
import type { Tensor } from '@backstep/tensor';
import { expect } from 'vitest';
import { makeInput, makeTensor, type GoldenCase, type GoldenInputs, type GoldenRun } from './golden.js';

type Opts = Record<string, unknown>;

/** Resolves `"input:NAME"` option values to the named input tensor. */
function resolveOptions(options: Opts, inputs: GoldenInputs): Opts {
  const out: Opts = {};
  for (const [k, v] of Object.entries(options)) {
    if (typeof v === 'string' && v.startsWith('input:')) {
      const t = inputs[v.slice('input:'.length)];
      if (t === undefined) throw new Error(`option ${k} names a missing input ${v}`);
      out[k] = t;
    } else out[k] = v;
  }
  return out;
}

const LOSSES: Record<string, (o: Opts) => Module<[Tensor, Tensor], Tensor>> = {
  MSELoss: (o) => new MSELoss(o),
  L1Loss: (o) => new L1Loss(o),
  CrossEntropyLoss: (o) => new CrossEntropyLoss(o),
  NLLLoss: (o) => new NLLLoss(o),
  BCELoss: (o) => new BCELoss(o),
  BCEWithLogitsLoss: (o) => new BCEWithLogitsLoss(o),
  HuberLoss: (o) => new HuberLoss(o),
  SmoothL1Loss: (o) => new SmoothL1Loss(o),
};

/** The loss Module of a case (its `loss` class with its options; `"input:NAME"` options name inputs). */
export function makeGoldenLoss(c: GoldenCase, inputs: GoldenInputs): Module<[Tensor, Tensor], Tensor> {
  const make = LOSSES[c.loss as string];
  if (make === undefined) throw new Error(`unknown loss ${c.loss}`);
  return make(resolveOptions(c.options, inputs));
}

/**
 * Runs one loss case in `dtype` (inputs in the default engine) through the loss Module: the
 * output (of the run's dtype) against PyTorch's, then `backward(upstreamGrad)` and the gradient
 * of every input that requires one. Returns the problems (empty = pass).
 */
export async function goldenLossProblems(c: GoldenCase, dtype: 'float32' | 'float64', run: GoldenRun): Promise<string[]> {
  expect(c.kind).toBe('loss');
  const inputs: GoldenInputs = {};
  for (const inp of c.inputs) inputs[inp.name] = makeInput(inp, dtype);
  await run.prepareInputs?.(c, inputs);
  const loss = makeGoldenLoss(c, inputs);
  const out = loss.call(inputs.input as Tensor, inputs.target as Tensor);
  run.checkOutput?.(out);
  out.backward(makeTensor(c.upstreamGrad, dtype));
  const tol = c.tolerance[dtype];
  const expected = c[dtype];
  const problems = [await run.compare(out, expected.output, tol, 'output')];
  expect(out.dtype).toBe(dtype);
  for (const [name, g] of Object.entries(expected.grads)) {
    problems.push(await run.compare((inputs[name] as Tensor).grad, g, tol, `grad ${name}`));
  }
  for (const inp of c.inputs) {
    if (inp.requiresGrad && !(inp.name in expected.grads)) problems.push(`no expected grad for ${inp.name}`);
  }
  return problems.filter((p): p is string => p !== null);
}
