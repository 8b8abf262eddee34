/**
 * optimizer-internals (seed 002): paramGroups, Adam and LBFGS on the seed's custom module.
 * Run: `pnpm --filter @backstep/examples run optimizer-internals`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { examplesRoot } from '../shared/paths.js';
import { runAdam, runLambdaLR, runLBFGS } from './optimizer-internals.js';

const fmtLoss = (v: number) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(4) : v.toFixed(6));
// PyTorch's numbers, where the golden folder sits beside the repository (tests always check them)
const golden = (name: string): Record<string, unknown> | null => {
  const p = resolve(examplesRoot, '../../../shared/golden/e2e', name);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>) : null;
};

const adam = runAdam({ steps: 200 });
const gAdam = golden('matrix_chain_adam.json') as { float32: { losses: number[] } } | null;
console.log('MyModule: ParameterList([A 10x10, B 10x10]) + Linear(10, 1, bias: false); MyLoss = mean((input - target)**2); Adam lr 0.01');
adam.losses.forEach((l, s) => {
  if (s < 12 || s % 25 === 0 || s === adam.losses.length - 1) {
    console.log(`  step ${String(s).padStart(3)}  myloss : ${fmtLoss(l)}${gAdam ? `   (PyTorch ${fmtLoss(gAdam.float32.losses[s]!)})` : ''}`);
  }
});
console.log('');
console.log('optimizer.paramGroups[0]:');
console.log(adam.paramGroup);
console.log(`parameter shapes: ${adam.paramShapes.map((s) => `[${s.join(', ')}]`).join(' ')}`);

console.log('');
const lb = runLBFGS({ outerSteps: 20 });
const gL = golden('matrix_chain_lbfgs.json') as { float32: { stepLosses: number[] } } | null;
console.log('LBFGS(lr 0.05, maxIter 5, maxEval 6) with a closure, one sample per step:');
lb.stepLosses.forEach((l, s) => {
  console.log(`  step ${String(s).padStart(2)}  step(closure) = ${fmtLoss(l)}  closure calls ${lb.closureLosses[s]!.length}  loss after ${fmtLoss(lb.lossAfter[s]!)}${gL ? `   (PyTorch ${fmtLoss(gL.float32.stepLosses[s]!)})` : ''}`);
});
console.log('optimizer.paramGroups[0]:');
console.log(lb.paramGroup);

console.log('');
const sch = runLambdaLR();
console.log('LambdaLR(optimizer, { lrLambda: (epoch) => 0.95 ** epoch }), 10 epochs of 100 steps:');
sch.lrBeforeStep.forEach((lr, e) => console.log(`  ${lr}\n  ${sch.lastLrAfterStep[e]}`));
