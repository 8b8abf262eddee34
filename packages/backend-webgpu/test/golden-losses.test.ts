/**
 * Every loss case of ../shared/golden/losses (forward values and input gradients from PyTorch
 * 1.13.1) in float32 on the WebGPU backend, through the same loss Module classes as on the CPU.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Tensor } from '@backstep/tensor';
import {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss, type Module,
} from '@backstep/nn';
import { compareTensorAsync, listGolden, loadGolden, makeInput, makeTensor, type GoldenCase } from '../../../tools/testing/golden.js';
import { useWebGpuDefaultEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
beforeAll(() => {
  useWebGpuDefaultEngine(gpu);
});

type Opts = Record<string, unknown>;

/** Resolves `"input:NAME"` option values to the named input tensor. */
function resolveOptions(options: Opts, inputs: Record<string, Tensor>): Opts {
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

const files = listGolden('losses');

describeGpu(gpu)('golden losses on webgpu (PyTorch 1.13, float32)', () => {
  it('covers every loss file', () => {
    expect(files.length).toBeGreaterThanOrEqual(36);
  });

  for (const file of files) {
    const c = loadGolden<GoldenCase>(file);
    it(`${c.name} [float32]`, async () => {
      expect(c.kind).toBe('loss');
      const make = LOSSES[c.loss as string];
      if (make === undefined) throw new Error(`unknown loss ${c.loss}`);
      const inputs: Record<string, Tensor> = {};
      for (const inp of c.inputs) inputs[inp.name] = makeInput(inp, 'float32');
      const loss = make(resolveOptions(c.options, inputs));
      const out = loss.call(inputs.input as Tensor, inputs.target as Tensor);
      expect(out.backendName).toBe('webgpu');
      out.backward(makeTensor(c.upstreamGrad, 'float32'));
      const tol = c.tolerance.float32;
      const expected = c.float32;
      const problems = [await compareTensorAsync(out, expected.output, tol, 'output')];
      expect(out.dtype).toBe('float32');
      for (const [name, g] of Object.entries(expected.grads)) {
        problems.push(await compareTensorAsync((inputs[name] as Tensor).grad, g, tol, `grad ${name}`));
      }
      for (const inp of c.inputs) {
        if (inp.requiresGrad && !(inp.name in expected.grads)) problems.push(`no expected grad for ${inp.name}`);
      }
      expect(problems.filter((p) => p !== null)).toEqual([]);
    });
  }
});
