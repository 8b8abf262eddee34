import { fmtShape, ShapeError, sizeOf, type Backend, type BackendMemory, type DataArray, type DataId, type DType, type Shape, type TensorInfo } from '@backstep/tensor';
import { BufferPool } from './buffer-pool.js';
import { CommandBatch } from './command-batch.js';
import { createBufferChecked, ErrorTracker, type DeferredCheck, type DescribeFailure, type ErrorSlot } from './deferred-checks.js';
import { DeviceHealth } from './device-health.js';
import { STAGING_USAGE, TENSOR_USAGE } from './gpu-flags.js';
import { assertWebGpuDType, fromDeviceWords, toDeviceWords } from './host-data.js';
import { PipelineCache } from './pipeline-cache.js';
import type { WebGpuBackendOptions, WebGpuStats } from './webgpu-backend-options.js';
import { WebGpuData, type Program } from './webgpu-data.js';

export { WebGpuData, type Program } from './webgpu-data.js';

/**
 * The WebGPU backend: buffers live on a `GPUDevice`, kernels are WGSL compute shaders. Dispatches are
 * encoded into one command buffer and submitted in batches (every `flushEvery` dispatches and on
 * every read); reads are asynchronous (`mapAsync`), so `supportsSyncRead` is false. Released
 * buffers return to a {@link BufferPool}; pipelines are cached by source in a {@link PipelineCache}.
 * Device loss and allocation failures surface as errors, never as hangs ({@link DeviceHealth}).
 */
export class WebGpuBackend implements Backend {
  /** Kernels are registered under this name. */
  readonly name = 'webgpu';
  /** Reads wait for the GPU: use `await tensor.data()`. */
  readonly supportsSyncRead = false;
  /** Vendor, architecture and description of the adapter (null when unknown). */
  readonly adapterInfo: GPUAdapterInfo | null;
  /** The buffer pool. */
  readonly pool: BufferPool;
  /** The pipeline cache. */
  readonly pipelines: PipelineCache;
  /** Index-check error slots. */
  readonly errors: ErrorTracker;
  private readonly flushEvery: number;
  private readonly batch: CommandBatch;
  private numBuffers = 0;
  private numBytes = 0;
  private readonly health: DeviceHealth;
  private disposed = false;
  private allocCheck: DeferredCheck | null = null;
  private readonly counters = { dispatches: 0, submits: 0, reads: 0, writes: 0 };
  private readonly owners: readonly unknown[];

  constructor(readonly device: GPUDevice, options: WebGpuBackendOptions = {}) {
    this.flushEvery = options.flushEvery ?? 64;
    this.owners = options.owners ?? [];
    this.adapterInfo = options.adapterInfo ?? (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo ?? null;
    this.health = new DeviceHealth(device);
    this.pool = new BufferPool(device, options.maxPoolBytes, (d) => this.createChecked(d));
    this.pipelines = new PipelineCache(device, (key, message) => {
      this.health.recordError(new Error(`webgpu backend: the '${key}' pipeline failed to compile: ${message}`));
    });
    this.errors = new ErrorTracker(device);
    this.batch = new CommandBatch(device, this.pool);
  }

  // ---- Backend contract -----------------------------------------------------------------

  /** Uploads `values` into a new buffer. float64 throws a DTypeError naming the dtype and backend. */
  write(values: DataArray, dtype: DType, shape: Shape): DataId {
    assertWebGpuDType(dtype, 'write');
    const n = sizeOf(shape);
    if (values.length !== n) throw new ShapeError(`webgpu backend: ${values.length} values do not fit shape ${fmtShape(shape)} (${n} elements)`);
    const data = this.allocate(n, dtype, shape, false);
    if (n > 0) this.device.queue.writeBuffer(data.buffer, 0, toDeviceWords(values, dtype) as Uint32Array<ArrayBuffer>);
    this.counters.writes++;
    return data;
  }

  /** Reads a buffer back (flushes pending work; throws deferred index/allocation errors). */
  async read(dataId: DataId): Promise<DataArray> {
    const data = this.get(dataId);
    this.assertUsable();
    this.counters.reads++;
    const staging = data.length > 0 ? this.pool.acquire(data.length * 4, STAGING_USAGE) : null;
    if (staging !== null) this.batch.copyEncoder().copyBufferToBuffer(data.buffer, 0, staging, 0, data.length * 4);
    const checks = data.checks.filter((c) => c.status !== 'ok');
    const sealing = checks.some((c) => c.settled === null) ? this.sealErrors() : null;
    this.flush();
    try {
      let out: DataArray = fromDeviceWords(new ArrayBuffer(0), 0, data.dtype);
      if (staging !== null) {
        await this.health.mapRead(staging);
        out = fromDeviceWords(staging.getMappedRange(0, data.length * 4), data.length, data.dtype);
        staging.unmap();
      }
      if (sealing !== null) await sealing;
      await Promise.all(checks.map((c) => c.settled));
      // a GPU error invalidates whole submits (and with them the checks' read-back), so it goes first
      this.health.throwGpuError();
      const failed = checks.find((c) => c.status === 'failed');
      if (failed?.error) throw failed.error;
      data.checks = data.checks.filter((c) => c.status !== 'ok');
      return out;
    } finally {
      if (staging !== null) this.pool.release(staging);
    }
  }

  /** Always throws: WebGPU reads are asynchronous. */
  readSync(_dataId: DataId): DataArray {
    throw new Error(
      "webgpu backend: synchronous reads are not supported (supportsSyncRead is false); use 'await tensor.data()', " +
        "'await tensor.toArray()' or 'await tensor.toAsync(\"cpu\")'",
    );
  }

  /** Returns a buffer to the pool; releasing twice is a no-op. */
  disposeData(dataId: DataId): void {
    if (!(dataId instanceof WebGpuData) || dataId.disposed) return;
    dataId.disposed = true;
    this.numBuffers--;
    this.numBytes -= dataId.length * 4;
    if (!this.disposed) this.pool.release(dataId.buffer);
  }

  /** Live tensor buffers and their bytes (4 per element; pooled free buffers are not counted, see {@link stats}). */
  memory(): BackendMemory {
    return { numBuffers: this.numBuffers, numBytes: this.numBytes };
  }

  /** Destroys the device and everything on it; the backend is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.batch.discard();
    this.pool.trim();
    this.errors.destroy();
    this.device.destroy();
  }

  // ---- for kernels ----------------------------------------------------------------------

  /** The live buffer behind a data id; throws a clear error for foreign or released ids. */
  get(dataId: DataId): WebGpuData {
    if (!(dataId instanceof WebGpuData)) throw new TypeError('webgpu backend: the data id does not belong to the webgpu backend');
    if (dataId.disposed) throw new Error('webgpu backend: the buffer has been released (tensor disposed)');
    return dataId;
  }

  /** A new (uninitialised) output buffer for `shape` and `dtype`, as kernel output info plus its data. */
  makeOutput(shape: Shape, dtype: DType): { data: WebGpuData; info: TensorInfo } {
    const data = this.allocate(sizeOf(shape), dtype, shape, true);
    return { data, info: { dataId: data, shape: [...shape], dtype } };
  }

  /** An error slot for a shader-side check; pass `slot.word` in `meta` and the slot in {@link Program.errorSlot}. */
  errorSlot(describe: DescribeFailure): ErrorSlot {
    return this.errors.allocate(describe);
  }

  /** Encodes one dispatch (skipped when the grid is empty); outputs inherit the inputs' pending checks. */
  dispatch(p: Program): void {
    this.assertUsable();
    this.inheritChecks(p.inputs, p.outputs, p.errorSlot?.check);
    const [x, y, z] = p.workgroups;
    if (x === 0 || y === 0 || z === 0) return;
    const pipeline = this.pipelines.get(p.key, p.source);
    if (!this.batch.fits(p.meta.length)) this.flush();
    const resources: GPUBufferBinding[] = [this.batch.bindParams(p.meta), ...p.inputs.map((d) => ({ buffer: d.buffer })), ...p.outputs.map((d) => ({ buffer: d.buffer }))];
    if (p.errorSlot) resources.push({ buffer: p.errorSlot.buffer });
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: resources.map((resource, binding) => ({ binding, resource })),
    });
    const pass = this.batch.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    this.counters.dispatches++;
    if (++this.batch.dispatches >= this.flushEvery) this.flush();
  }

  /** Encodes a buffer-to-buffer copy of `bytes` bytes (outputs inherit the source's checks). */
  copy(src: WebGpuData, dst: WebGpuData, bytes = src.length * 4): void {
    this.assertUsable();
    this.inheritChecks([src], [dst]);
    if (bytes > 0) this.batch.copyEncoder().copyBufferToBuffer(src.buffer, 0, dst.buffer, 0, bytes);
  }

  /** Submits the batched commands. */
  flush(): void {
    const commands = this.batch.finish();
    if (commands === null) return;
    this.device.queue.submit([commands]);
    this.counters.submits++;
    this.pool.recycle();
    if (this.errors.unsealedSlots >= 64) void this.sealErrors();
  }

  /** Waits until the GPU has finished the submitted work; throws device loss and GPU errors. */
  async sync(): Promise<void> {
    this.assertUsable();
    if (this.errors.hasUnsealed) void this.sealErrors();
    this.flush();
    await this.health.raceLost(this.device.queue.onSubmittedWorkDone());
    this.health.throwGpuError();
  }

  /** Activity counters, pool and pipeline-cache statistics. */
  stats(): WebGpuStats {
    return { ...this.counters, pool: this.pool.getStats(), pipelines: this.pipelines.getStats() };
  }

  /** Throws when the device is lost or the backend disposed. */
  assertUsable(): void {
    if (this.disposed) throw new Error('webgpu backend: the backend has been disposed');
    const lost = this.health.lostError;
    if (lost) throw lost;
  }

  // ---- internals --------------------------------------------------------------------------

  private allocate(n: number, dtype: DType, shape: Shape, gpuWrite: boolean): WebGpuData {
    assertWebGpuDType(dtype);
    this.assertUsable();
    const bytes = n * 4;
    const limit = Math.min(this.device.limits.maxBufferSize, this.device.limits.maxStorageBufferBindingSize);
    if (bytes > limit) {
      throw new RangeError(
        `webgpu backend: out of memory: cannot allocate ${bytes} bytes for ${dtype} ${fmtShape(shape)} ` +
          `(the device allows at most ${limit} bytes per buffer)`,
      );
    }
    this.allocCheck = null;
    const buffer = this.pool.acquire(bytes, TENSOR_USAGE, { gpuWrite });
    const checks = this.allocCheck === null ? [] : [this.allocCheck];
    this.allocCheck = null;
    this.numBuffers++;
    this.numBytes += bytes;
    return new WebGpuData(buffer, n, dtype, checks);
  }

  /** Creates a buffer inside error scopes; a failure becomes a deferred check of the data using it. */
  private createChecked(descriptor: GPUBufferDescriptor): GPUBuffer {
    const { buffer, check } = createBufferChecked(this.device, descriptor);
    this.allocCheck = check;
    return buffer;
  }

  private inheritChecks(inputs: readonly WebGpuData[], outputs: readonly WebGpuData[], own?: DeferredCheck): void {
    const checks = new Set<DeferredCheck>(own ? [own] : []);
    for (const d of inputs) for (const c of d.checks) if (c.status !== 'ok') checks.add(c);
    if (checks.size === 0) return;
    for (const o of outputs) {
      for (const c of o.checks) if (c.status !== 'ok') checks.add(c);
      o.checks = [...checks];
    }
  }

  /** Seals the unsealed error slots: copy them out with the next submit and settle their checks once mapped. */
  private sealErrors(): Promise<void> {
    const staging = this.pool.acquire(this.errors.bytesNeeded(), STAGING_USAGE);
    const { checks, settle } = this.errors.seal(this.batch.copyEncoder(), staging);
    const settled = (async () => {
      // the copy must be submitted before mapping
      await Promise.resolve();
      this.flush();
      try {
        await this.health.mapRead(staging);
        settle(new Uint32Array(staging.getMappedRange().slice(0)));
        staging.unmap();
      } catch (e) {
        settle(null, e instanceof Error ? e : new Error(String(e)));
      } finally {
        this.pool.release(staging);
      }
    })();
    for (const c of checks) c.settled = settled;
    return settled;
  }
}
