/**
 * The playground in headless Chromium (Debian's /usr/bin/chromium; SwiftShader behind navigator.gpu):
 * builds the app with Vite, serves it from 127.0.0.1 (a secure context, needed for navigator.gpu),
 * trains on WebGPU through the page's controls and its `window.__playground` hook, steps back and
 * checks that the loss shown and every parameter return bit-identically, replays the undone steps
 * (bit-identical again), retries with another learning rate, and saves a screenshot. A second page
 * hides navigator.gpu and checks the CPU fallback and its notice. Never downloads a browser.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundHook } from '../src/main.js';

const CHROMIUM = '/usr/bin/chromium';
/** The flags of ../shared/WEBGPU.md (headless comes from playwright, the fresh profile from launchPersistentContext). */
const FLAGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(appRoot, 'test-results');
const available = existsSync(CHROMIUM);
if (!available && !IN_CI) console.warn(`[playground] skipping the browser test: ${CHROMIUM} not found (apt-get install chromium; .ci/run installs it in CI)`);

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** A static file server for the built app on 127.0.0.1 and a random free port. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Float32 bit patterns of every parameter (numbers from the page are the float32 values exactly). */
function bits(params: number[][]): number[][] {
  return params.map((p) => Array.from(new Uint32Array(Float32Array.from(p).buffer)));
}

/** The value the page's hook holds (awaited when it is a promise). */
function hook<T>(page: Page, fn: (p: PlaygroundHook) => T | Promise<T>): Promise<T> {
  return page.evaluate(`(${fn.toString()})(window.__playground)`) as Promise<T>;
}

async function openPage(context: BrowserContext, url: string, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return page;
}

async function shown(page: Page): Promise<{ step: string; text: string; exact: string }> {
  return {
    step: await page.locator('#step').innerText(),
    text: await page.locator('#loss').innerText(),
    exact: (await page.locator('#loss').getAttribute('data-exact')) ?? '',
  };
}

(available || IN_CI ? describe : describe.skip)('playground in headless chromium', () => {
  let dir = '';
  let profile = '';
  let server: Server | null = null;
  let url = '';
  let context: BrowserContext | null = null;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required in CI (.ci/run installs Debian's chromium)`).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'backstep-playground-'));
    await build({ configFile: join(appRoot, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: join(dir, 'dist'), emptyOutDir: true } });
    ({ server, url } = await serve(join(dir, 'dist')));
    profile = join(dir, 'profile'); // a fresh --user-data-dir
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trains on WebGPU, steps back bit-identically, replays exactly, retries with another lr', async () => {
    const errors: string[] = [];
    const page = await openPage(context!, url, errors);
    const backend = await hook(page, (p) => p.backend);
    const notice = await page.locator('#backend-notice').innerText();
    if (IN_CI) expect(backend, `WebGPU must run in CI; the page says: ${notice}`).toBe('webgpu');
    else if (backend !== 'webgpu') console.warn(`[playground] no WebGPU adapter in chromium, checking the CPU fallback only: ${notice}`);
    expect(await page.locator('#backend-notice').isVisible()).toBe(true);
    if (backend === 'webgpu') expect(notice).toMatch(/WebGPU/);

    // train 30 steps with the button
    await page.locator('#train-steps').fill('30');
    await page.locator('#train').click();
    await hook(page, (p) => p.idle());
    expect(await hook(page, (p) => p.stepCount)).toBe(30);
    const losses30 = await hook(page, (p) => p.losses);
    expect(losses30).toHaveLength(31);
    expect(losses30[30]!).toBeLessThan(losses30[0]!);
    const shown30 = await shown(page);
    expect(shown30.step).toBe('30');
    expect(Number(shown30.exact)).toBe(losses30[30]);
    const params30 = await hook(page, (p) => p.params());
    const lr30 = await hook(page, (p) => p.lr);

    // a too-high learning rate (typed into #lr, Enter), 10 steps
    await page.locator('#lr').fill('0.3');
    await page.locator('#lr').press('Enter');
    await hook(page, (p) => p.idle());
    expect(await hook(page, (p) => p.lr)).toBe(0.3);
    await hook(page, (p) => p.train(10));
    const bad = { losses: await hook(page, (p) => p.losses), params: await hook(page, (p) => p.params()) };
    expect(bad.losses).toHaveLength(41);
    expect(bits(bad.params)).not.toEqual(bits(params30));

    // step back 10 with the button: loss shown, losses, params, lr exactly as at step 30
    await page.locator('#back-steps').fill('10');
    await page.locator('#step-back').click();
    await hook(page, (p) => p.idle());
    expect(await hook(page, (p) => p.stepCount)).toBe(30);
    expect(await shown(page)).toEqual(shown30);
    expect(await hook(page, (p) => p.currentLoss)).toBe(losses30[30]);
    expect(await hook(page, (p) => p.losses)).toEqual(losses30);
    expect(bits(await hook(page, (p) => p.params()))).toEqual(bits(params30));
    expect(await hook(page, (p) => p.lr)).toBe(lr30);
    expect(await page.locator('#lr').inputValue()).toBe(String(Number(lr30.toPrecision(6))));

    // replaying the undone steps gives the same bits (model + Adam + scheduler + generator restored)
    await hook(page, (p) => p.setLr(0.3));
    await hook(page, (p) => p.train(10));
    expect(await hook(page, (p) => p.losses)).toEqual(bad.losses);
    expect(bits(await hook(page, (p) => p.params()))).toEqual(bits(bad.params));
    await hook(page, (p) => p.stepBack(10));
    expect(bits(await hook(page, (p) => p.params()))).toEqual(bits(params30));
    expect(await shown(page)).toEqual(shown30);

    // retry with a smaller learning rate
    await hook(page, (p) => p.setLr(0.01));
    await page.locator('#train-steps').fill('25');
    await page.locator('#train').click();
    await hook(page, (p) => p.idle());
    const retry = await hook(page, (p) => p.losses);
    expect(retry).toHaveLength(56);
    expect(retry.slice(0, 31)).toEqual(losses30);
    expect(retry[40]!).not.toBe(bad.losses[40]);
    expect(retry[55]!).toBeLessThan(losses30[30]!);
    expect(await hook(page, (p) => p.backSteps)).toEqual([
      { from: 40, to: 30, loss: losses30[30] },
      { from: 40, to: 30, loss: losses30[30] },
    ]);

    // the chart shows the curve, the undone stretches and the back-step markers
    expect(await page.locator('#loss-chart #loss-curve').count()).toBe(1);
    expect(await page.locator('#loss-chart .branch').count()).toBe(2);
    expect(await page.locator('#loss-chart .backstep-marker').count()).toBe(2);
    expect(await page.locator('#error').isHidden()).toBe(true);
    mkdirSync(resultsDir, { recursive: true });
    const png = join(resultsDir, 'playground.png');
    await page.screenshot({ path: png, fullPage: true });
    copyFileSync(png, '/tmp/playground.png');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('falls back to the CPU backend with a visible notice when navigator.gpu is missing', async () => {
    const errors: string[] = [];
    const page = await context!.newPage();
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await hook(page, (p) => p.backend)).toBe('cpu');
    const notice = page.locator('#backend-notice');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.innerText()).toMatch(/WebGPU is not available.*CPU backend.*navigator\.gpu is missing/);
    await hook(page, (p) => p.train(6));
    const params = await hook(page, (p) => p.params());
    const loss = await hook(page, (p) => p.currentLoss);
    await hook(page, (p) => p.train(3));
    await page.locator('#back-steps').fill('3');
    await page.locator('#step-back').click();
    await hook(page, (p) => p.idle());
    expect(bits(await hook(page, (p) => p.params()))).toEqual(bits(params));
    expect(await hook(page, (p) => p.currentLoss)).toBe(loss);
    // stepping back further than the history holds is refused with a message, and changes nothing
    const refused = await hook(page, (p) => p.stepBack(1000).then(() => '', (e: Error) => e.message));
    expect(refused).toMatch(/only 6 steps can be undone/);
    expect(await page.locator('#error').innerText()).toBe(refused);
    expect(await hook(page, (p) => p.stepCount)).toBe(6);
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, 'playground-cpu-fallback.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);
});
