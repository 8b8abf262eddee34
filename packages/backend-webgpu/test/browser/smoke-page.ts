/**
 * The page side of the browser smoke test (bundled with esbuild and injected into headless
 * Chromium): creates the backend on `navigator.gpu`, runs a few ops and one training step with
 * autograd, and returns the numbers for the Node side to check.
 */
import { registerAutograd } from '@backstep/autograd';
import { Engine, tensor, type Tensor } from '@backstep/tensor';
import { createWebGpuBackend, registerWebGpuBackend } from '../../src/index.js';

/** What the page reports. */
export interface SmokeResult {
  isSecureContext: boolean;
  adapter: string;
  matmul: number[];
  softmax: number[];
  argmax: number[];
  losses: number[];
  grad: number[];
  syncReadError: string;
}

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

async function run(): Promise<SmokeResult> {
  const backend = await createWebGpuBackend();
  const engine = new Engine();
  registerWebGpuBackend(engine, backend, { setCurrent: true });
  registerAutograd(engine);
  const a = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3], engine });
  const b = tensor([0.5, -1, 2, 0, 1, 1], { shape: [3, 2], engine });
  const matmul = await values(a.matmul(b));
  const softmax = await values(a.softmax(1));
  const argmax = await values(a.argmax(0));
  let syncReadError = '';
  try {
    a.dataSync();
  } catch (e) {
    syncReadError = (e as Error).message;
  }
  // one-parameter linear regression, two gradient steps
  const x = tensor([1, 2, 3, 4], { shape: [4, 1], engine });
  const y = tensor([2, 4, 6, 8], { shape: [4, 1], engine });
  let w = tensor([[0.5]], { engine }).requiresGrad_();
  const losses: number[] = [];
  let grad: number[] = [];
  for (let step = 0; step < 2; step++) {
    const loss = x.matmul(w).sub(y).pow(2).mean();
    loss.backward();
    losses.push(await loss.itemAsync());
    grad = await values(w.grad!);
    w = w.sub(w.grad!.mul(0.05)).detach().requiresGrad_();
  }
  losses.push(await x.matmul(w).sub(y).pow(2).mean().itemAsync());
  const info = backend.adapterInfo;
  return { isSecureContext, adapter: info ? `${info.vendor} ${info.architecture}` : 'unknown', matmul, softmax, argmax, losses, grad, syncReadError };
}

(globalThis as unknown as { backstepSmoke: () => Promise<SmokeResult> }).backstepSmoke = run;
