/**
 * Smoke test in headless Chromium (Debian's /usr/bin/chromium, SwiftShader behind navigator.gpu):
 * the backend is bundled for the page with esbuild, the page runs ops and a training step on
 * WebGPU, and the numbers are checked against the CPU backend here. Never downloads a browser.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerAutograd } from '@backstep/autograd';
import { registerCpuBackend } from '@backstep/backend-cpu';
import { Engine, tensor } from '@backstep/tensor';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SmokeResult } from './browser/smoke-page.js';
import { IN_CI } from './setup.js';

const CHROMIUM = '/usr/bin/chromium';
/** The flags of ../shared/WEBGPU.md (headless mode and a fresh profile directory come from playwright). */
const FLAGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const here = dirname(fileURLToPath(import.meta.url));
const available = existsSync(CHROMIUM);
if (!available && !IN_CI) console.warn(`[backend-webgpu] skipping the browser smoke test: ${CHROMIUM} not found (apt-get install chromium)`);

/** The same computations on the CPU backend, for reference. */
async function cpuReference(): Promise<Omit<SmokeResult, 'isSecureContext' | 'adapter' | 'syncReadError'>> {
  const engine = new Engine();
  registerCpuBackend(engine);
  registerAutograd(engine);
  const a = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3], engine });
  const b = tensor([0.5, -1, 2, 0, 1, 1], { shape: [3, 2], engine });
  const x = tensor([1, 2, 3, 4], { shape: [4, 1], engine });
  const y = tensor([2, 4, 6, 8], { shape: [4, 1], engine });
  let w = tensor([[0.5]], { engine }).requiresGrad_();
  const losses: number[] = [];
  let grad: number[] = [];
  for (let step = 0; step < 2; step++) {
    const loss = x.matmul(w).sub(y).pow(2).mean();
    loss.backward();
    losses.push(loss.item());
    grad = Array.from(w.grad!.dataSync());
    w = w.sub(w.grad!.mul(0.05)).detach().requiresGrad_();
  }
  losses.push(x.matmul(w).sub(y).pow(2).mean().item());
  const arr = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());
  return { matmul: arr(a.matmul(b)), softmax: arr(a.softmax(1)), argmax: arr(a.argmax(0)), losses, grad };
}

(available || IN_CI ? describe : describe.skip)('webgpu in headless chromium', () => {
  it('runs ops and a training step on navigator.gpu with the same numbers as the CPU', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required in CI (.ci/run installs Debian's chromium)`).toBe(true);
    const bundle = await build({
      entryPoints: [join(here, 'browser/smoke-page.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      conditions: ['source'],
      logLevel: 'silent',
    });
    // navigator.gpu needs a secure context: serve the page from loopback (about:blank is not one)
    const html = `<!doctype html><title>backstep webgpu smoke</title><script>${bundle.outputFiles[0]!.text.replaceAll('</script', '<\\/script')}</script>`;
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
      const page = await browser.newPage();
      const logs: string[] = [];
      page.on('console', (m) => logs.push(m.text()));
      page.on('pageerror', (e) => logs.push(String(e)));
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const result = (await page.evaluate('backstepSmoke()')) as SmokeResult;
      const ref = await cpuReference();
      const close = (got: number[], want: number[]): void => {
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 4));
      };
      close(result.matmul, ref.matmul);
      close(result.softmax, ref.softmax);
      expect(result.argmax).toEqual(ref.argmax);
      close(result.losses, ref.losses);
      close(result.grad, ref.grad);
      expect(result.losses[2]!).toBeLessThan(result.losses[0]!);
      expect(result.isSecureContext).toBe(true);
      expect(result.adapter).toMatch(/\S/);
      expect(result.syncReadError).toMatch(/cannot read synchronously/);
      expect(logs.filter((l) => /error/i.test(l))).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);
});
