/**
 * Runs every template by the command of its README (`pnpm --filter @backstep/examples run <name>`
 * executes the package.json script below in apps/examples) and checks the printed key numbers.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runScript(name: string, args: string[] = []): Promise<Run> {
  const cmd = scripts[name];
  if (cmd === undefined) throw new Error(`no script '${name}' in apps/examples/package.json`);
  return new Promise((done) => {
    execFile('sh', ['-c', `${cmd} ${args.map((a) => `'${a}'`).join(' ')}`], { cwd: root, timeout: 50_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('every template runs by its one command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backstep-commands-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const names = ['manual-backprop-check', 'main', 'backward-and-step', 'backstep-retry', 'optimizer-internals', 'custom-optimizer', 'mnist', 'mnist-webgpu'] as const;
  // start them all at once; each test awaits its own
  const runs = new Map<string, Promise<Run>>();
  for (const n of names) {
    if (n === 'custom-optimizer') runs.set(n, runScript(n, ['--', '--out', join(dir, 'custom')]));
    else if (n === 'mnist') runs.set(n, runScript(n, ['--', '--steps', '30', '--out', join(dir, 'mnist'), '--quiet']));
    else if (n === 'mnist-webgpu') runs.set(n, runScript('mnist', ['--backend', 'webgpu', '--steps', '1', '--out', join(dir, 'gpu')]));
    else runs.set(n, runScript(n));
  }
  const get = (n: string) => runs.get(n)!;

  it.each(['manual-backprop-check', 'main'])('%s (pnpm example): the seed-003 step', async (n) => {
    const r = await get(n);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('W1 after  = [[0.1240, 0.2310], [0.1350, 0.1025]]');
    expect(r.stdout).toContain('W2 after  = [[0.1825, 0.1740]]');
    expect(r.stdout).toContain('dL/dout   = sign(out - target) = -1');
  });

  it('backward-and-step: grads 6 and 12, x = 0.4, y = 0.8; [100, 100] and [0.9, 1.9]', async () => {
    const r = await get('backward-and-step');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('x.grad = 6, y.grad = 12');
    expect(r.stdout).toContain('x = 0.4000, y = 0.8000');
    expect(r.stdout).toContain('after: [100.0, 100.0]');
    expect(r.stdout).toContain('-> [0.9000, 1.9000]');
  });

  it('backstep-retry: bit-identical restore and retry, drift when only the model is restored, NaN rollback', async () => {
    const r = await get('backstep-retry');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/params bit-identical, expAvg bit-identical, expAvgSq bit-identical/g)).toHaveLength(2);
    expect(r.stdout).toMatch(/Adam step 22 \(reference 21\)/);
    expect(r.stdout).toContain('reason nonfinite-loss');
  });

  it("optimizer-internals: PyTorch's first losses, paramGroups, LBFGS, LambdaLR", async () => {
    const r = await get('optimizer-internals');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/step {3}1 {2}myloss : 0\.838437/);
    expect(r.stdout).toMatch(/step {3}2 {2}myloss : 2\.689223/);
    expect(r.stdout).toContain("betas: [ 0.9, 0.999 ]");
    expect(r.stdout).toMatch(/step {2}1 {2}step\(closure\) = 0\.838437 {2}closure calls 5/);
    expect(r.stdout).toContain('0.009025\n');
  });

  it('custom-optimizer: writes the three SVG files', async () => {
    const r = await get('custom-optimizer');
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['ewma-normal.svg', 'ewma-cosine.svg', 'sgd-comparison.svg']) expect(existsSync(join(dir, 'custom', f))).toBe(true);
    expect(r.stdout).toContain('DebiasedMomentumSGD 0.9 (EWMA)');
  });

  it('mnist --steps 30: trains, evaluates, saves a checkpoint and a plot', async () => {
    const r = await get('mnist');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('8000 training / 2000 test digits');
    expect(r.stdout).toContain('steps 0 -> 30');
    const acc = Number(/final test accuracy ([\d.]+)%/.exec(r.stdout)?.[1]);
    expect(acc).toBeGreaterThan(60);
    expect(existsSync(join(dir, 'mnist', 'mnist-mlp.safetensors'))).toBe(true);
    expect(existsSync(join(dir, 'mnist', 'mnist-mlp.svg'))).toBe(true);
  });

  it('mnist --backend webgpu: a clear error where WebGPU is unavailable (or a run where it is)', async () => {
    const r = await get('mnist-webgpu');
    if (r.code === 0) expect(r.stdout).toContain('on webgpu');
    else expect(r.stderr).toMatch(/error: .*webgpu/i);
  });
});
