import { Tensor, type DType, type GradFnLike } from '@backstep/tensor';
import type { GradContext, GradRule, RecordInfo } from './rule.js';

/** Where a gradient flows: the node that produced a tensor, or a leaf tensor (accumulated into `.grad`). */
export type Vertex = GradFn | Tensor;

/** PyTorch's error for using a graph whose saved tensors were freed by an earlier backward. */
export const FREED_GRAPH_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
  'Saved intermediate values of the graph are freed when you call .backward() or grad(). ' +
  'Specify retainGraph: true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

/**
 * Saved handles that stand for a tensor of the graph: when a gradient rule uses one while
 * `createGraph` records the backward pass, the new op's edge points at the original tensor's
 * node or leaf, so higher-order gradients flow to the right place.
 */
const savedSource = new WeakMap<Tensor, Vertex>();

/** The vertex a tensor's gradient flows to, or null when it does not require grad. */
export function vertexOf(t: Tensor): Vertex | null {
  if (!t.requiresGrad) return null;
  const src = savedSource.get(t);
  if (src !== undefined) return src;
  if (t.gradFn === null) return t;
  if (!(t.gradFn instanceof GradFn)) {
    throw new Error(`autograd: tensor #${t.id} has a gradFn ('${t.gradFn.name}') that was not created by @backstep/autograd`);
  }
  return t.gradFn;
}

/**
 * Saves a tensor for backward: a new handle sharing the buffer (Backstep buffers are never
 * mutated: in-place ops swap buffers), exempt from tidy scopes until the graph is freed.
 */
function saveTensor(t: Tensor): Tensor {
  const engine = t.engine;
  const h = engine.keep(engine.makeTensorFromInfo(t.info(), t.backendName));
  const src = vertexOf(t);
  if (src !== null) {
    h.requiresGrad = true;
    savedSource.set(h, src);
  }
  return h;
}

let nextSequenceNr = 0;

/**
 * A node of the autograd graph: one recorded kernel run. `tensor.gradFn` points at it.
 * Holds the gradient rule, the edges to its inputs' nodes or leaves, and the saved tensors.
 */
export class GradFn implements GradFnLike {
  /** The node name, e.g. `'MulBackward'`. */
  readonly name: string;
  /** The primitive kernel that was recorded. */
  readonly kernelName: string;
  /** Creation order (later nodes have larger numbers). */
  readonly sequenceNr = nextSequenceNr++;
  /** Per kernel input: where its gradient goes (null for inputs that do not require grad). */
  readonly nextEdges: readonly (Vertex | null)[];
  /** The tensor this node produced (hooks and `retainGrad` are read from it). */
  readonly output: Tensor;
  /** The kernel's attrs. */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Shapes of the kernel's inputs. */
  readonly inputShapes: readonly (readonly number[])[];
  /** Dtypes of the kernel's inputs. */
  readonly inputDTypes: readonly DType[];
  /** Shape of the output. */
  readonly outputShape: readonly number[];
  /** Dtype of the output. */
  readonly outputDType: DType;
  /** @internal */
  readonly rule: GradRule;
  private readonly savedInputs: (Tensor | null)[];
  private savedOut: Tensor | null;
  private freed = false;
  private readonly hadSaved: boolean;

  /** @internal Created by the record hook; use `tensor.gradFn` to get one. */
  constructor(kernelName: string, rule: GradRule, attrs: Readonly<Record<string, unknown>>, inputs: readonly Tensor[], output: Tensor) {
    this.kernelName = kernelName;
    this.rule = rule;
    this.attrs = { ...attrs };
    this.output = output;
    this.nextEdges = inputs.map(vertexOf);
    this.inputShapes = inputs.map((t) => t.shape);
    this.inputDTypes = inputs.map((t) => t.dtype);
    this.outputShape = output.shape;
    this.outputDType = output.dtype;
    const info: RecordInfo = { attrs: this.attrs, inputShapes: this.inputShapes, needs: this.nextEdges.map((e) => e !== null) };
    this.name = typeof rule.name === 'function' ? rule.name(info) : rule.name;
    const save = typeof rule.saveInputs === 'function' ? rule.saveInputs(info) : (rule.saveInputs ?? []);
    this.savedInputs = inputs.map(() => null);
    for (const i of save) {
      const t = inputs[i];
      if (t !== undefined && this.savedInputs[i] === null) this.savedInputs[i] = saveTensor(t);
    }
    const saveOut = typeof rule.saveOutput === 'function' ? rule.saveOutput(info) : rule.saveOutput === true;
    this.savedOut = saveOut ? saveTensor(output) : null;
    this.hadSaved = this.savedOut !== null || this.savedInputs.some((t) => t !== null);
  }

  /** PyTorch's `next_functions`: per input, its node, `'AccumulateGrad'` for a leaf, or null. */
  get nextFunctions(): readonly (GradFn | { name: 'AccumulateGrad'; variable: Tensor } | null)[] {
    return this.nextEdges.map((e) => (e === null ? null : e instanceof Tensor ? { name: 'AccumulateGrad' as const, variable: e } : e));
  }

  /** Whether the node saved tensors at record time (it can then run only until its graph is freed). */
  get hasSavedTensors(): boolean {
    return this.hadSaved;
  }

  /** Whether a backward without `retainGraph` has freed this node's saved tensors. */
  get isFreed(): boolean {
    return this.freed && this.hadSaved;
  }

  /** Disposes the saved tensors (after a backward without `retainGraph`, or by `releaseGraph`). */
  release(): void {
    if (this.freed) return;
    this.freed = true;
    for (let i = 0; i < this.savedInputs.length; i++) {
      const t = this.savedInputs[i];
      if (t !== null && t !== undefined) {
        t.dispose();
        this.savedInputs[i] = null;
      }
    }
    if (this.savedOut !== null) {
      this.savedOut.dispose();
      this.savedOut = null;
    }
  }

  /** @internal The context a rule runs with. */
  context(needsInputGrad: readonly boolean[]): GradContext {
    const node = this;
    return {
      saved(i: number): Tensor {
        const t = node.savedInputs[i];
        if (t === null || t === undefined) {
          if (node.isFreed) throw new Error(FREED_GRAPH_MESSAGE);
          throw new Error(`autograd: ${node.name} did not save input ${i} (add it to the rule's saveInputs)`);
        }
        return t;
      },
      savedOutput(): Tensor {
        if (node.savedOut === null) {
          if (node.isFreed) throw new Error(FREED_GRAPH_MESSAGE);
          throw new Error(`autograd: ${node.name} did not save its output (set saveOutput in the rule)`);
        }
        return node.savedOut;
      },
      attrs: node.attrs,
      inputShapes: node.inputShapes,
      inputDTypes: node.inputDTypes,
      outputShape: node.outputShape,
      needsInputGrad,
    };
  }

  /** @internal Saved handles (ownership checks in the backward engine). */
  savedTensors(): Tensor[] {
    const out = this.savedInputs.filter((t): t is Tensor => t !== null);
    if (this.savedOut !== null) out.push(this.savedOut);
    return out;
  }

  /** `<MulBackward>` */
  toString(): string {
    return `<${this.name}>`;
  }
}
