/**
 * Seed 002 ("optim explain") on WebGPU: the user's `MyModule` — an `nn.ParameterList` of two
 * [d, d] matrices and `nn.Linear(d, 1, bias=False)` — with the hand-written loss
 * `mean((input - target)²)`, trained with Adam (lr 0.01) for 200 steps against PyTorch's run
 * `e2e/matrix_chain_adam.json` (float32 block): the loss of every step within the file's per-step
 * `lossTolerance` (rounding differences compound over the run) and the final parameters within the
 * file's float32 tolerance. Runs with the fused WGSL `adamStep` kernel and with the composed path.
 * The forward follows the golden `model` field (`linear(x @ A @ B)`), as the CPU test does
 * (packages/optim/test/seed-002-matrix-chain.test.ts).
 */
import { Linear, Module, ParameterList } from '@backstep/nn';
import { Adam, type AdamOptions } from '@backstep/optim';
import { getEngine, mean, mm, mul, ones, pow, setEngine, stack, sub, zeros, type Engine, type Tensor } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { compareValues, flatData, loadGolden, type Tol } from '../../../tools/testing/golden.js';
import { webGpuEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();

interface JsonT {
  shape: number[];
  data: unknown;
}

type ParamName = 'A' | 'B' | 'linear.weight';

interface AdamChain {
  d: number;
  nSamples: number;
  initialParams: Record<ParamName, JsonT>;
  paramOrder: ParamName[];
  tolerance: Record<'float32' | 'float64', Tol>;
  options: Required<AdamOptions>;
  steps: number;
  float32: { losses: number[]; lossTolerance: { rtol: number[]; atol: number[] }; finalParams: Record<ParamName, JsonT> };
}

/** The user's model: two [d, d] parameter matrices in a ParameterList, then Linear(d, 1, bias=False). */
class MyModule extends Module {
  params: ParameterList;
  linear: Linear;

  constructor(d: number, engine: Engine) {
    super();
    this.params = new ParameterList([zeros([d, d], { engine }), zeros([d, d], { engine })]);
    this.linear = new Linear(d, 1, { bias: false });
  }

  override forward(x: Tensor): Tensor {
    for (let i = 0; i < this.params.length; i++) x = mm(x, this.params.get(i));
    return this.linear.forward(x);
  }
}

/** The seed's hand-written loss (`MyLoss.forward`). */
function myLoss(input: Tensor, target: Tensor): Tensor {
  return mean(pow(sub(input, target), 2));
}

const KEY: Record<ParamName, string> = { A: 'params.0', B: 'params.1', 'linear.weight': 'linear.weight' };

async function run(fused: boolean): Promise<string[]> {
  const c = loadGolden<AdamChain>('e2e/matrix_chain_adam.json');
  const engine = webGpuEngine(gpu, { fused });
  const previous = getEngine();
  setEngine(engine); // nn layers create their parameters on the default engine
  try {
    const model = new MyModule(c.d, engine);
    const sd: Record<string, JsonT> = {};
    for (const n of c.paramOrder) sd[KEY[n]] = c.initialParams[n];
    model.loadStateDict(sd);
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
      const m = compareValues([all[s] as number], [run32.losses[s]!], { rtol: run32.lossTolerance.rtol[s]!, atol: run32.lossTolerance.atol[s]! }, `loss ${s}`);
      if (m) errors.push(m);
    }
    const state = model.stateDict();
    for (const n of c.paramOrder) {
      const m = compareValues(Array.from(await state[KEY[n]]!.data()), flatData(run32.finalParams[n].data), c.tolerance.float32, `final ${n}`);
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
