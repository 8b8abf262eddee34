import type { Backend, TensorInfo } from './backend.js';
import { KernelNotFoundError } from './errors.js';
import type { KernelAttrs, KernelName } from './kernel-names.js';

/** What a kernel function receives. */
export interface KernelArgs<A = Record<string, unknown>> {
  /** Input buffers, in the order the kernel documents. */
  readonly inputs: readonly TensorInfo[];
  /** The kernel's attributes. */
  readonly attrs: A;
  /** The backend the kernel runs on. */
  readonly backend: Backend;
}

/** A kernel: inputs + attrs in, one or more new buffers out. */
export type KernelFunc<A = Record<string, unknown>> = (args: KernelArgs<A>) => TensorInfo | TensorInfo[];

/** A kernel registration, typed by kernel name for the primitive set and open for extra (fused) kernels. */
export type KernelConfig<K extends string = string> = {
  /** The op this kernel implements. */
  readonly kernelName: K;
  /** The backend it runs on. */
  readonly backendName: string;
  /** The implementation. */
  readonly kernelFunc: KernelFunc<K extends KernelName ? KernelAttrs[K] : Record<string, unknown>>;
};

/** Kernels keyed by (op, backend). One per Engine; no globals. */
export class KernelRegistry {
  private readonly kernels = new Map<string, KernelConfig>();

  private static key(kernelName: string, backendName: string): string {
    return `${backendName}\u0000${kernelName}`;
  }

  /** Registers a kernel; registering the same (op, backend) twice is an error. */
  register<K extends string>(config: KernelConfig<K>): void {
    const key = KernelRegistry.key(config.kernelName, config.backendName);
    if (this.kernels.has(key)) {
      throw new Error(`Kernel '${config.kernelName}' is already registered for backend '${config.backendName}'`);
    }
    this.kernels.set(key, config as unknown as KernelConfig);
  }

  /** Removes a kernel registration (no-op when absent). */
  unregister(kernelName: string, backendName: string): void {
    this.kernels.delete(KernelRegistry.key(kernelName, backendName));
  }

  /** The kernel, or undefined. */
  find(kernelName: string, backendName: string): KernelConfig | undefined {
    return this.kernels.get(KernelRegistry.key(kernelName, backendName));
  }

  /** The kernel, or a `Kernel 'x' not registered for backend 'y'` error. */
  get(kernelName: string, backendName: string): KernelConfig {
    const k = this.find(kernelName, backendName);
    if (k === undefined) {
      throw new KernelNotFoundError(`Kernel '${kernelName}' not registered for backend '${backendName}'`);
    }
    return k;
  }

  /** Names of the kernels registered for a backend. */
  kernelsFor(backendName: string): string[] {
    return [...this.kernels.values()].filter((k) => k.backendName === backendName).map((k) => k.kernelName);
  }
}
