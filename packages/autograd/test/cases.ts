/** A gradcheck case: a function of float64 inputs that exercises one primitive kernel's rule. */
import type { Tensor } from '@backstep/tensor';
import type { GradcheckOptions } from '../src/index.js';

/** One gradcheck case. */
export interface GradCase {
  /** The kernel whose rule the case checks (asserted to appear in the recorded graph). */
  kernel: string;
  /** What the case covers (test name). */
  name: string;
  /** Builds fresh inputs. */
  inputs: () => Tensor[];
  /** The function to check. */
  fn: (...xs: Tensor[]) => Tensor;
  /** Tolerance overrides. */
  options?: GradcheckOptions;
}
