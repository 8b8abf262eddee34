import { MapMode } from './gpu-flags.js';

/**
 * The health of a `GPUDevice` as the WebGPU backend sees it: device loss (from `device.lost`) and
 * the first GPU error not yet thrown (uncaptured validation errors, pipelines that failed to
 * compile). Waits on the GPU race device loss, so a lost device surfaces as an error, never as a
 * hang.
 */
export class DeviceHealth {
  private lost: Error | null = null;
  private readonly lostPromise: Promise<Error>;
  private gpuError: Error | null = null;

  /** @param device - the device to watch (its `lost` promise and `uncapturederror` events) */
  constructor(device: GPUDevice) {
    this.lostPromise = device.lost.then((info) => {
      this.lost = new Error(`webgpu backend: the GPU device was lost (${info.reason ?? 'unknown'}): ${info.message || 'no message'}`);
      return this.lost;
    });
    device.addEventListener?.('uncapturederror', (ev) => {
      const e = (ev as GPUUncapturedErrorEvent).error;
      this.recordError(new Error(`webgpu backend: GPU error: ${e.message}`));
    });
  }

  /** The device-loss error, or null while the device is alive. */
  get lostError(): Error | null {
    return this.lost;
  }

  /** Records a GPU error; the first one is kept until {@link throwGpuError} throws it. */
  recordError(error: Error): void {
    this.gpuError ??= error;
  }

  /** Throws the recorded GPU error (once), if any. */
  throwGpuError(): void {
    const e = this.gpuError;
    if (e !== null) {
      this.gpuError = null;
      throw e;
    }
  }

  /** `promise`, or a rejection with the device-loss error if the device is lost first. */
  raceLost<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.lostPromise.then((e) => Promise.reject(e))]);
  }

  /** Maps `staging` for reading; device loss or a failed map become clear errors. */
  async mapRead(staging: GPUBuffer): Promise<void> {
    try {
      await this.raceLost(staging.mapAsync(MapMode.READ));
    } catch (e) {
      if (this.lost) throw this.lost;
      throw new Error(`webgpu backend: reading back from the GPU failed: ${(e as Error)?.message ?? String(e)}`);
    }
  }
}
