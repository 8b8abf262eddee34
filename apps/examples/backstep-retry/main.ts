/**
 * backstep-retry (seed 000): undo optimizer.step() exactly, change the lr, retry.
 * Run: `pnpm --filter @backstep/examples run backstep-retry`.
 */
import { fmt } from '../shared/bits.js';
import { runBackstepRetry, runRollbackGuard } from './backstep-retry.js';

const yes = (b: boolean) => (b ? 'bit-identical' : 'DIFFERENT');
const r = runBackstepRetry();
console.log('Linear(3, 2) + Adam(lr 0.01, weightDecay 0.1), 20 steps, then one step with lr 3 (too high)');
console.log(`  loss before the step       ${r.lossBefore.toFixed(6)}`);
console.log(`  loss after the bad step    ${r.lossAfterBadStep.toFixed(6)}   (worse)`);
console.log(`  history.backStep()         ${r.lossAfterBackStep.toFixed(6)}   (Adam step ${r.adamStep.before} -> ${r.adamStep.afterBad} -> ${r.adamStep.afterBackStep}, lr back to ${r.lrAfterBackStep})`);
console.log(`    params ${yes(r.restored.params)}, expAvg ${yes(r.restored.expAvg)}, expAvgSq ${yes(r.restored.expAvgSq)}, step ${r.restored.step ? 'equal' : 'DIFFERENT'} (vs the pre-step state)`);
console.log(`  retry with lr 0.02         ${r.lossAfterRetry.toFixed(6)}   (better)`);
console.log(`    vs a run that never took the bad step: params ${yes(r.retryVsReference.params)}, expAvg ${yes(r.retryVsReference.expAvg)}, expAvgSq ${yes(r.retryVsReference.expAvgSq)}`);
console.log(`  the snapshot holds ${r.snapshotBytes} bytes of tensors, shared copy-on-write (commit copies nothing)`);
console.log('');
console.log("The seed's approach: k = model.stateDict(); step; model.loadStateDict(k); retry");
console.log(`  outputs before ${fmt(r.modelOnly.outputs.before)}, after the step ${fmt(r.modelOnly.outputs.afterStep)}, after loadStateDict ${fmt(r.modelOnly.outputs.afterLoad)}`);
console.log(`  ...the model is back, but the retry drifts: Adam step ${r.modelOnly.adamStep} (reference ${r.modelOnly.referenceAdamStep}),`);
console.log(`  max |param - reference| = ${r.modelOnly.vsReference.maxParamDiff.toExponential(3)}, max |expAvg - reference| = ${r.modelOnly.vsReference.maxExpAvgDiff.toExponential(3)}`);
console.log('');
const g = runRollbackGuard();
console.log('RollbackGuard, 40 mini-batch steps, a batch with a NaN at step 25:');
for (const e of g.events) console.log(`  rollback: step ${e.stepIndex}, attempt ${e.attempt}, reason ${e.reason}, loss ${e.loss}`);
console.log(`  loss ${g.firstLoss.toFixed(4)} -> ${g.lastLoss.toFixed(4)}, all weights finite: ${g.allFinite}`);
console.log(`  vs a run that never saw the NaN batch: params ${yes(g.vsCleanRun.params)}, Adam moments ${yes(g.vsCleanRun.expAvg && g.vsCleanRun.expAvgSq)}`);
console.log(`  (without the guard the weights end up finite: ${g.unguardedAllFinite})`);
