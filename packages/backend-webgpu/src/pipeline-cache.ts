/** Counts of a {@link PipelineCache}. */
export interface PipelineCacheStats {
  /** Distinct shader sources compiled. */
  pipelines: number;
  /** Lookups answered from the cache. */
  hits: number;
  /** Lookups that compiled a pipeline. */
  misses: number;
}

/**
 * Compute pipelines keyed by their WGSL source. Kernels generate the source from a small template
 * specialised on what changes the code (op, dtype, variant), never on shapes (those travel in a
 * parameter buffer), so a training loop compiles each pipeline once. A second map from a short
 * specialisation key to the source saves regenerating the text on every dispatch.
 */
export class PipelineCache {
  private readonly bySource = new Map<string, GPUComputePipeline>();
  private readonly byKey = new Map<string, GPUComputePipeline>();
  private hits = 0;
  private misses = 0;

  /**
   * @param device compiles the pipelines
   * @param onError told when a pipeline fails to compile (the entry is dropped, so a later call retries)
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly onError: (key: string, message: string) => void = () => {},
  ) {}

  /**
   * The pipeline for a specialisation `key`; on a miss `source()` generates the WGSL, which is
   * compiled unless an identical source is already cached. The entry point is `main`.
   */
  get(key: string, source: () => string): GPUComputePipeline {
    const cached = this.byKey.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    const code = source();
    let pipeline = this.bySource.get(code);
    if (pipeline === undefined) {
      this.misses++;
      this.device.pushErrorScope('validation');
      const module = this.device.createShaderModule({ code, label: key });
      pipeline = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
      const failed = pipeline;
      void this.device.popErrorScope().then(
        (e) => {
          if (e === null) return;
          this.bySource.delete(code);
          for (const [k, p] of this.byKey) if (p === failed) this.byKey.delete(k);
          this.onError(key, e.message);
        },
        () => {},
      );
      this.bySource.set(code, pipeline);
    } else {
      this.hits++;
    }
    this.byKey.set(key, pipeline);
    return pipeline;
  }

  /** Current counts. */
  getStats(): PipelineCacheStats {
    return { pipelines: this.bySource.size, hits: this.hits, misses: this.misses };
  }
}
