import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the relaxed-SIMD (fused multiply-add) gemm', () => {
  it('matches a double reference when the engine has relaxed SIMD (a child node with the flag)', () => {
    const script = fileURLToPath(new URL('./fixtures/relaxed-matmul.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--conditions=source', '--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0 && /bad option|unknown|not allowed/i.test(r.stderr)) return; // a Node without the flag
    expect(r.stderr.replace(/npm warn.*\n/g, '')).not.toMatch(/Error/);
    expect(r.stdout).toMatch(/^ok relaxed=(true|false) tile=\d+x\d+/);
  });
});
