import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../src/index.js';
import { writeFileAtomic } from '../src/node/index.js';

const here = dirname(fileURLToPath(import.meta.url));

function checkIntact(path: string): number {
  const content = decodeSafetensors(new Uint8Array(readFileSync(path)));
  const gen = Number(content.metadata.generation);
  const w = content.tensors.get('w')!.values;
  // every value of a complete checkpoint equals its generation number
  expect(w[0]).toBe(gen);
  expect(w[w.length - 1]).toBe(gen);
  expect(w[w.length >> 1]).toBe(gen);
  return gen;
}

describe('crash-safe checkpoint writes', () => {
  it('writeFileAtomic replaces the file and leaves no temporary behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backstep-atomic-'));
    const p = join(dir, 'a.bin');
    writeFileAtomic(p, new Uint8Array([1, 2, 3]));
    writeFileAtomic(p, new Uint8Array([4, 5]));
    expect([...readFileSync(p)]).toEqual([4, 5]);
    expect(readdirSync(dir)).toEqual(['a.bin']);
    rmSync(dir, { recursive: true });
  });

  it('a child process killed while writing leaves a loadable previous checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backstep-kill-'));
    const path = join(dir, 'ckpt.safetensors');
    for (const delayAfterFirst of [5, 40, 120]) {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(here, 'fixtures/save-loop.ts'), path], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let saved = 0;
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.stdout.on('data', (d: Buffer) => {
          const m = /saved (\d+)/g;
          for (const x of d.toString().matchAll(m)) saved = Number(x[1]);
          if (saved >= 1) resolve();
        });
      });
      // the child is now in the middle of writing generation saved+1 (or about to be)
      await new Promise((r) => setTimeout(r, delayAfterFirst));
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await exited;
      const gen = checkIntact(path);
      expect(gen).toBeGreaterThanOrEqual(saved);
    }
    rmSync(dir, { recursive: true });
  }, 120_000);
});
