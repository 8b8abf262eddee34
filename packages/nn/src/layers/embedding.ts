import { arange, eq, fmtShape, reshape, ShapeError, type Generator, type Tensor } from '@backstep/tensor';
import { embedding } from '../functional/embedding.js';
import { normal_ } from '../init/initializers.js';
import { Module } from '../module.js';
import { withNoGrad } from '../no-grad.js';
import { Parameter } from '../parameter.js';
import { checkCount, createParameter, type FactoryOptions } from './create-parameter.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions extends FactoryOptions {
  /** This row starts at zero and never receives a gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Generator for the initial N(0, 1) values. */
  generator?: Generator;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (PyTorch's `nn.Embedding`):
 * int32 indices of any shape give `[...shape, embeddingDim]`. `weight` starts as N(0, 1), with the
 * `paddingIdx` row zeroed.
 */
export class Embedding extends Module<[Tensor], Tensor> {
  /** Number of rows. */
  readonly numEmbeddings: number;
  /** Size of each row. */
  readonly embeddingDim: number;
  /** The normalised (non-negative) padding index, or null. */
  readonly paddingIdx: number | null;
  /** `[numEmbeddings, embeddingDim]`. */
  weight: Parameter;

  /** Creates the table with N(0, 1) rows. */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = checkCount(numEmbeddings, 'numEmbeddings', 'Embedding');
    this.embeddingDim = checkCount(embeddingDim, 'embeddingDim', 'Embedding');
    const pad = options.paddingIdx ?? null;
    if (pad !== null && (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings)) {
      throw new RangeError(`Embedding: paddingIdx must be within num_embeddings (got ${pad} for ${numEmbeddings})`);
    }
    this.paddingIdx = pad === null ? null : pad < 0 ? pad + numEmbeddings : pad;
    this.weight = createParameter([numEmbeddings, embeddingDim], options);
    this.resetParameters(options.generator);
  }

  /** Builds an embedding from a `[n, dim]` tensor (copied); `freeze` (default true) disables its gradient. */
  static fromPretrained(embeddings: Tensor, options: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    if (embeddings.ndim !== 2) throw new ShapeError(`Embeddings parameter is expected to be 2-dimensional, got ${fmtShape(embeddings.shape)}`);
    const [n, d] = embeddings.shape as [number, number];
    const e = new Embedding(n, d, { dtype: embeddings.dtype, backend: embeddings.backendName, paddingIdx: options.paddingIdx ?? null });
    const copy = withNoGrad(() => embeddings.clone());
    e.weight = new Parameter(copy, !(options.freeze ?? true));
    copy.dispose();
    return e;
  }

  /** Re-draws `weight` from N(0, 1) and zeroes the padding row. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, generator === undefined ? {} : { generator });
    const pad = this.paddingIdx;
    if (pad !== null) {
      const w = this.weight;
      withNoGrad(() =>
        w.engine.tidy(() => {
          const rows = reshape(arange(this.numEmbeddings, undefined, 1, { engine: w.engine, backend: w.backendName }), [this.numEmbeddings, 1]);
          w.maskedFill_(eq(rows, pad), 0);
        }),
      );
    }
  }

  /** The rows at `indices`. */
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}
