/**
 * The five `lbfgs_*` golden trajectories (PyTorch 1.13, float32) on the WebGPU backend through
 * `await opt.stepAsync(closure)`: the closure computes the problem (Rosenbrock or least squares)
 * with tensor ops on webgpu and its gradient with autograd, and records every evaluation (params,
 * loss, gradient: read with `await`). Per outer step the returned loss, the params, the number of
 * closure evaluations and every evaluation are compared with PyTorch within the file's float32
 * tolerance; then the final state dict, read asynchronously (`toPyTorchStateDictAsync`). The
 * check is the CPU suite's (tools/testing/golden-lbfgs.ts).
 *
 * State allowance (the same documented rule as the CPU's LBFGS golden test,
 * packages/optim/test/lbfgs-golden.test.ts): in float32, PyTorch's own state entries can be
 * rounding noise (e.g. `al` entries ~1e-11 in float64 and ~1e-2 in float32), so each float32 state
 * element may also differ from PyTorch's float32 value by 4 times the distance between PyTorch's
 * float32 and float64 values. Everything else uses the file's tolerance.
 */
import { toPyTorchStateDictAsync, type LBFGS } from '@backstep/optim';
import type { Tensor } from '@backstep/tensor';
import { expect, it } from 'vitest';
import { listGolden, loadGolden } from '../../../tools/testing/golden.js';
import { runLbfgsGolden, type LbfgsCase, type LbfgsEvaluation } from '../../../tools/testing/golden-lbfgs.js';
import { webGpuEngine } from './golden-setup.js';
import { describeGpu, testGpu } from './setup.js';

const gpu = await testGpu();
const engine = webGpuEngine(gpu);

/** One outer step with `stepAsync` and the user's closure (zeroGrad, forward, backward), recording with async reads. */
async function stepAsync(opt: LBFGS, x: Tensor, f: (x: Tensor) => Tensor, log: LbfgsEvaluation[]): Promise<number> {
  const ret = await opt.stepAsync(async () => {
    opt.zeroGrad();
    const loss = f(x);
    loss.backward();
    const [p, l, g] = await Promise.all([x.data(), loss.data(), x.grad!.data()]);
    log.push({ params: Array.from(p), loss: l[0] as number, grad: Array.from(g) });
    return loss;
  });
  return typeof ret === 'number' ? ret : await (ret as Tensor).itemAsync();
}

const files = listGolden('optim').filter((f) => f.includes('/lbfgs_'));

describeGpu(gpu)('LBFGS golden trajectories on webgpu (PyTorch 1.13, float32, stepAsync)', () => {
  it('there are five lbfgs golden files', () => {
    expect(files.length).toBe(5);
  });

  for (const file of files) {
    const c = loadGolden<LbfgsCase>(file);
    it(`${c.name} [float32]: every step, every closure evaluation, the final state dict`, async () => {
      expect(c.paramGroups).toEqual([{ params: [0] }]);
      const { errors, counts, allowanceUsed } = await runLbfgsGolden(c, 'float32', {
        engine,
        backend: 'webgpu',
        step: stepAsync,
        read: (t) => t.data(),
        pytorchStateDict: (opt) => toPyTorchStateDictAsync(opt.stateDict()),
      });
      expect(errors, errors.join('\n')).toEqual([]);
      // the number of closure calls per outer step is PyTorch's, exactly
      expect(counts).toEqual(c.float32.evaluations.map((e) => e.count));
      if (allowanceUsed.length > 0) console.info(`[${c.name}] float32 state entries within the noise allowance only: ${allowanceUsed.join(', ')}`);
    });
  }
});
