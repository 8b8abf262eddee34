/**
 * @backstep/autograd — reverse-mode automatic differentiation for Backstep (DESIGN.md
 * contract 2): graph recording through the Engine's hooks, `backward()`, functional `grad()`,
 * grad mode (`noGrad`, `enableGrad`), one gradient rule per primitive kernel, and `gradcheck`.
 * Imports only `@backstep/tensor`.
 */
export { registerAutograd, autogradHooks } from './register.js';
export { noGrad, enableGrad, setGradEnabled, isGradEnabled } from './grad-mode.js';
export { backward, releaseGraph } from './backward.js';
export { sweepGraphs, trackedNodeCount } from './graph-registry.js';
export { grad, type GradOptions } from './grad.js';
export { gradcheck, type GradcheckOptions } from './gradcheck.js';
export { GradFn, FREED_GRAPH_MESSAGE, type Vertex } from './grad-fn.js';
export type { GradContext, GradRule, RecordInfo } from './rule.js';
export { getGradRule, differentiableKernels, registerGradRule, sumToShape } from './rules/index.js';
