/**
 * The main example: seed 003 end to end on the CPU backend.
 * Run: `pnpm example` (from the repository root).
 */
import { runTwoLayerNet } from './two-layer-net.js';

const fmt = (m: number[][]): string => `[${m.map((r) => `[${r.map((v) => v.toFixed(4)).join(', ')}]`).join(', ')}]`;
const r = runTwoLayerNet(0.05);
console.log('Seed 003: out = W2 @ (W1 @ x), x = [2, 3], target = 1, L1Loss, lr = 0.05');
console.log(`result   = ${r.output.toFixed(4)}`);
console.log(`loss     = ${r.loss.toFixed(4)}`);
console.log(`W1.grad  = ${fmt(r.gradW1)}`);
console.log(`W2.grad  = ${fmt(r.gradW2)}`);
console.log(`W1 after = ${fmt(r.w1After)}`);
console.log(`W2 after = ${fmt(r.w2After)}`);
console.log('PyTorch printed W1 after [[0.1240, 0.2310], [0.1350, 0.1025]] and W2 after [[0.1825, 0.1740]]:');
console.log('the gradient of the L1 loss is sign(out - target) = -1, not (out - target), so the');
console.log("forum post's hand calculation (multiplying by -0.809 again) was the mistake, not autograd.");
