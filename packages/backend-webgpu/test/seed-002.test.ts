/**
 * Seed 002 ("optim explain") on WebGPU: the user's `MyModule` — an `nn.ParameterList` of two
 * [d, d] matrices and `nn.Linear(d, 1, bias=False)` — with the hand-written loss
 * `mean((input - target)²)`, trained with Adam (lr 0.01) for 200 steps against PyTorch's run
 * `e2e/matrix_chain_adam.json` (float32 block): the loss of every step within the file's per-step
 * `lossTolerance` (rounding differences compound over the run) and the final parameters within the
 * file's float32 tolerance. Runs with the fused WGSL `adamStep` kernel and with the composed path.
 * The model and the golden file's types are the CPU test's (tools/testing/golden-matrix-chain.ts:
 * the forward follows the golden `model` field, `linear(x @ A @ B)`).
 */
import { Adam } from '@backstep/optim';
import { getEngine, mean, mul, ones, pow, setEngine, stack, sub, type Tensor } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { compareValues, flatData, loadGolden } from '../../../tools/testing/golden.js';
import { initialStateDict, lossTol, MyModule, STATE_KEY, type MatrixChainAdam } from '../../../tools/testing/golden-matrix-chain.js';
import { webGpuEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();

/** The seed's hand-written loss (`MyLoss.forward`). */
function myLoss(input: Tensor, target: Tensor): Tensor {
  return mean(pow(sub(input, target), 2));
}

async function run(fused: boolean): Promise<string[]> {
  const c = loadGolden<MatrixChainAdam>('e2e/matrix_chain_adam.json');
  const engine = webGpuEngine(gpu, { fused });
  const previous = getEngine();
  setEngine(engine); // the model creates its parameters on the default engine
  try {
    const model = new MyModule(c.d);
    model.loadStateDict(initialStateDict(c));
    expect(model.parameters().every((p) => p.backendName === 'webgpu')).toBe(true);
    const optimizer = new Adam(model.parameters(), c.options);
    const losses: Tensor[] = [];
    for (let s = 0; s < c.steps; s++) {
      const i = s % c.nSamples;
      const loss = engine.tidy(() => {
        const input = mul(ones([c.d, c.d], { engine }), i);
        const target = mul(ones([c.d, 1], { engine }), i);
        const l = myLoss(model.forward(input), target);
        optimizer.zeroGrad();
        l.backward();
        optimizer.step();
        return l;
      });
      losses.push(loss);
    }
    // one read for all 200 losses
    const all = await engine.tidy(() => stack(losses.map((l) => l.detach()))).data();
    const errors: string[] = [];
    const run32 = c.float32;
    for (let s = 0; s < c.steps; s++) {
      const m = compareValues([all[s] as number], [run32.losses[s]!], lossTol(run32, c.tolerance.float32, s), `loss ${s}`);
      if (m) errors.push(m);
    }
    const state = model.stateDict();
    for (const n of c.paramOrder) {
      const m = compareValues(Array.from(await state[STATE_KEY[n]]!.data()), flatData(run32.finalParams[n].data), c.tolerance.float32, `final ${n}`);
      if (m) errors.push(m);
    }
    expect(run32.losses[0]).toBe(0); // the seed's printout starts "myloss : 0.0"
    return errors;
  } finally {
    setEngine(previous);
  }
}

describeGpu(gpu)('seed 002 on webgpu: MyModule + MyLoss + Adam (e2e/matrix_chain_adam.json, float32)', () => {
  for (const fused of [true, false]) {
    it(`every step's loss and the final parameters match PyTorch (${fused ? 'fused adamStep' : 'composed'})`, async () => {
      const errors = await run(fused);
      expect(errors, errors.join('\n')).toEqual([]);
    });
  }
});
