// The matrix-chain model of the golden e2e cases (seed 002 / back-step cases):
// model(x) = Linear(d, 1, bias=False)(x @ A @ B), sample i: x = ones(d,d)*i, target = ones(d,1)*i.
import { Linear, MSELoss, Module, Parameter } from '@backstep/nn';
import { ones, tensor, type DType, type Tensor } from '@backstep/tensor';
import { flatData, type GoldenTensor } from '../../../tools/testing/golden.js';

/** Two [d, d] matrices and a bias-free Linear(d, 1). */
export class MatrixChain extends Module {
  A: Parameter;
  B: Parameter;
  linear: Linear;
  constructor(init: Record<string, GoldenTensor>, dtype: DType) {
    super();
    const d = init.A!.shape[0]!;
    this.A = new Parameter(tensor(flatData(init.A!.data), { dtype, shape: init.A!.shape }));
    this.B = new Parameter(tensor(flatData(init.B!.data), { dtype, shape: init.B!.shape }));
    this.linear = new Linear(d, 1, { bias: false, dtype });
    this.linear.weight = new Parameter(tensor(flatData(init['linear.weight']!.data), { dtype, shape: init['linear.weight']!.shape }));
  }
  override forward(x: Tensor): Tensor {
    return this.linear.forward(x.matmul(this.A).matmul(this.B));
  }
}

const mse = new MSELoss();

/** Loss of sample `i` (before any update). */
export function sampleLoss(model: MatrixChain, i: number, d: number, dtype: DType): Tensor {
  const x = ones([d, d], { dtype }).mul(i);
  const target = ones([d, 1], { dtype }).mul(i);
  return mse.forward(model.forward(x), target);
}
