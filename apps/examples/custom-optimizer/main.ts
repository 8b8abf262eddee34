/**
 * custom-optimizer (seed 004): EWMA with and without bias correction, and a user-written optimizer.
 * Run: `pnpm --filter @backstep/examples run custom-optimizer [-- --out <folder>]`.
 */
import { resolve } from 'node:path';
import { parseCli } from '../shared/cli.js';
import { runCustomOptimizer } from './custom-optimizer.js';

const args = parseCli({ out: { type: 'string' } });
const r = runCustomOptimizer(args.out ? { outDir: resolve(process.cwd(), args.out) } : {});
console.log(`mean |EWMA - truth| over the first ${r.errors.k} points:`);
console.log('            normal data (truth 0.3)     noisy cosine (truth cos x)');
console.log('   β        plain      debiased         plain      debiased');
r.betas.forEach((b, i) => {
  const n = r.errors.normal[i]!;
  const c = r.errors.cosine[i]!;
  console.log(`  ${String(b).padEnd(6)}  ${n.plain.toFixed(4)}     ${n.debiased.toFixed(4)}           ${c.plain.toFixed(4)}     ${c.debiased.toFixed(4)}`);
});
console.log('');
console.log('full-data MSE after 1, 10, 50 and 150 steps (y = Xw + b, mini-batches of 16, lr 0.02):');
for (const c of r.curves) {
  const at = (s: number) => c.losses[s - 1]!.toFixed(4);
  console.log(`  ${c.name.padEnd(36)} ${at(1)}  ${at(10)}  ${at(50)}  ${at(c.losses.length)}`);
}
console.log('');
console.log('figures (open in a browser):');
for (const f of Object.values(r.files)) console.log(`  ${f}`);
