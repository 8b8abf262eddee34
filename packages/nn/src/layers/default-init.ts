import type { Generator } from '@backstep/tensor';
import { calculateFanInAndFanOut } from '../init/gain.js';
import { kaimingUniform_, uniform_ } from '../init/initializers.js';
import type { Parameter } from '../parameter.js';

/**
 * PyTorch's default initialisation of Linear and Conv layers: `kaiming_uniform_(a=√5)` for the
 * weight (i.e. U(-1/√fanIn, 1/√fanIn)) and U(-1/√fanIn, 1/√fanIn) for the bias.
 */
export function defaultWeightBiasInit(weight: Parameter, bias: Parameter | null, generator?: Generator): void {
  const g = generator === undefined ? {} : { generator };
  kaimingUniform_(weight, { a: Math.sqrt(5), ...g });
  if (bias !== null) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, g);
  }
}
