/**
 * Seed 003 ("How to properly update the weights in PyTorch?"): a 2-2-1 linear net without
 * bias, L1Loss against target 1, one plain gradient-descent step with lr 0.05.
 */
import { noGrad, registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { L1Loss, Linear, Module, Parameter } from '@backstep/nn';
import { tensor, type Tensor } from '@backstep/tensor';

/** The user's network: `linear2(linear1(x))`, weights set to the forum post's values. */
export class MyNet extends Module {
  linear1 = new Linear(2, 2, { bias: false });
  linear2 = new Linear(2, 1, { bias: false });

  constructor() {
    super();
    this.linear1.weight = new Parameter(tensor([[0.11, 0.21], [0.12, 0.08]]));
    this.linear2.weight = new Parameter(tensor([[0.14, 0.15]]));
  }

  override forward(x: Tensor): Tensor {
    return this.linear2.forward(this.linear1.forward(x));
  }
}

/** What one training step shows. */
export interface TwoLayerStep {
  output: number;
  loss: number;
  gradW1: number[][];
  gradW2: number[][];
  w1After: number[][];
  w2After: number[][];
}

/** Runs the forward pass, `backward()`, and one SGD step `w -= lr * w.grad`. */
export function runTwoLayerNet(lr = 0.05): TwoLayerStep {
  registerCpuBackend();
  registerAutograd();
  const model = new MyNet();
  const lossFn = new L1Loss();
  const result = model.forward(tensor([2.0, 3.0]));
  const loss = lossFn.forward(result, tensor([1.0]));
  model.zeroGrad();
  loss.backward();
  const w1 = model.linear1.weight;
  const w2 = model.linear2.weight;
  const gradW1 = w1.grad!.tolist() as number[][];
  const gradW2 = w2.grad!.tolist() as number[][];
  noGrad(() => {
    for (const p of model.parameters()) p.sub_(p.grad!.mul(lr));
  });
  return {
    output: result.item(),
    loss: loss.item(),
    gradW1,
    gradW2,
    w1After: w1.tolist() as number[][],
    w2After: w2.tolist() as number[][],
  };
}
