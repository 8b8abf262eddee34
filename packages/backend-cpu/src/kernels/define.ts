import type { KernelAttrs, KernelConfig, KernelFunc, KernelName } from '@backstep/tensor';

/** The backend name every CPU kernel is registered under. */
export const CPU = 'cpu';

/** A CPU kernel registration for a primitive kernel, with its attrs typed from {@link KernelAttrs}. */
export function defineKernel<K extends KernelName>(kernelName: K, kernelFunc: KernelFunc<KernelAttrs[K]>): KernelConfig {
  return { kernelName, backendName: CPU, kernelFunc: kernelFunc as unknown as KernelFunc };
}
