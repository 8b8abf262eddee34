/**
 * The backend conformance suite (DESIGN.md contract 1): every backend runs these cases, which
 * exercise each kernel of `KERNEL_NAMES` through `engine.runKernel` against hand-derived values and
 * independent invariants. Import from `@backstep/tensor/conformance`; the suite takes the test
 * framework's `describe`/`it`, so the tensor package itself does not depend on one.
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * import { runBackendConformance } from '@backstep/tensor/conformance';
 * runBackendConformance({ backendName: 'cpu', makeEngine, describe, it });
 * ```
 */
import { binaryCases } from './cases/binary.js';
import { compareCases } from './cases/compare.js';
import { convCases } from './cases/conv.js';
import { elementwiseCases } from './cases/elementwise.js';
import { indexingCases } from './cases/indexing.js';
import { layoutCases } from './cases/layout.js';
import { matmulCases } from './cases/matmul.js';
import { reduceCases } from './cases/reduce.js';
import { registryCases } from './cases/registry.js';
import { softmaxCases } from './cases/softmax.js';
import { unaryCases } from './cases/unary.js';
import type { ConformanceOptions } from './harness.js';
import { Suite } from './suite.js';

export { CaseContext, ConformanceError, roundTo } from './harness.js';
export type { ConformanceOptions, Expected, TestApi, Tolerance } from './harness.js';

/** Registers the whole conformance suite for one backend under `describe('<backend> backend conformance')`. */
export function runBackendConformance(options: ConformanceOptions): void {
  const suite = new Suite(options);
  options.describe(`${options.backendName} backend conformance`, () => {
    registryCases(suite);
    unaryCases(suite);
    binaryCases(suite);
    compareCases(suite);
    elementwiseCases(suite);
    reduceCases(suite);
    matmulCases(suite);
    layoutCases(suite);
    indexingCases(suite);
    softmaxCases(suite);
    convCases(suite);
  });
}
