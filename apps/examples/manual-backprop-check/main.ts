/**
 * manual-backprop-check (seed 003), the repository's main example.
 * Run: `pnpm example` (repository root) or `pnpm --filter @backstep/examples run manual-backprop-check`.
 */
import { fmt } from '../shared/bits.js';
import { runManualBackpropCheck, SEED } from './manual-backprop-check.js';

const r = runManualBackpropCheck(SEED.lr);
const a = r.autograd;
console.log('Seed 003: out = W2 @ (W1 @ x), x = [2, 3], target = 1, L1Loss, SGD lr = 0.05');
console.log('');
console.log('autograd (loss.backward(), then optimizer.step()):');
console.log(`  result    = ${a.output.toFixed(4)}`);
console.log(`  loss      = ${a.loss.toFixed(4)}`);
console.log(`  W1.grad   = ${fmt(a.gradW1)}`);
console.log(`  W2.grad   = ${fmt(a.gradW2)}`);
console.log(`  W1 after  = ${fmt(a.w1After)}`);
console.log(`  W2 after  = ${fmt(a.w2After)}`);
console.log('');
console.log('by hand (chain rule from the loss down, plain numbers):');
console.log(`  h = W1 x  = ${fmt(r.hand.h)}`);
console.log(`  dL/dout   = sign(out - target) = ${r.hand.dOut}`);
console.log(`  W2.grad   = dL/dout * h            = ${fmt(r.hand.gradW2)}`);
console.log(`  W1.grad   = (dL/dout * W2)^T x^T   = ${fmt(r.hand.gradW1)}`);
console.log(`  W2 after  = ${fmt(r.hand.w2After)}`);
console.log(`  max |hand - autograd| = ${r.maxDiff.toExponential(2)} (float32 rounding)`);
console.log('');
console.log(`the forum's hand update used (out - target) = ${(a.output - 1).toFixed(3)} as dL/dout:`);
console.log(`  W2 after  = ${fmt(r.forumW2After)}   (PyTorch and Backstep: ${fmt(a.w2After)})`);
console.log('The derivative of |out - target| is sign(out - target) = -1, not (out - target); the');
console.log("(out - target) factor belongs to the MSE loss (times 2). With MSELoss autograd agrees with it:");
console.log(`  MSE: dL/dout = 2 (out - target) = ${r.mse.hand.dOut.toFixed(4)}, W2.grad = ${fmt(r.mse.autograd.gradW2)} (by hand ${fmt(r.mse.hand.gradW2)})`);
