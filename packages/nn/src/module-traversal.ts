import type { Tensor } from '@backstep/tensor';
import type { ModuleSlots } from './module-registry.js';
import type { Parameter } from './parameter.js';

/** What the traversal helpers need of a module: its registries. */
export interface SlotOwner {
  /** Parameters, buffers and child modules by name. */
  readonly _slots: ModuleSlots<SlotOwner>;
}

const join = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name);

/** `[dottedName, module]` for `root` (named `prefix`) and its submodules, pre-order; each once unless `removeDuplicate` is false. */
export function namedModulesOf<M extends SlotOwner>(root: M, prefix: string, removeDuplicate: boolean): Array<[string, M]> {
  const out: Array<[string, M]> = [];
  const memo = removeDuplicate ? new Set<SlotOwner>() : null;
  const visit = (m: M, pre: string): void => {
    if (memo !== null) {
      if (memo.has(m)) return;
      memo.add(m);
    }
    out.push([pre, m]);
    for (const [name, child] of m._slots.modules) if (child !== null) visit(child as M, join(pre, name));
  };
  visit(root, prefix);
  return out;
}

/** `[dottedName, member]` of the members `pick` yields per module (nulls skipped; each member once when `dedup`). */
export function namedMembersOf<M, T>(mods: ReadonlyArray<[string, M]>, pick: (m: M) => Iterable<[string, T | null]>, dedup: boolean): Array<[string, T]> {
  const seen = new Set<T>();
  const out: Array<[string, T]> = [];
  for (const [prefix, m] of mods) {
    for (const [name, v] of pick(m)) {
      if (v === null || (dedup && seen.has(v))) continue;
      seen.add(v);
      out.push([join(prefix, name), v]);
    }
  }
  return out;
}

/**
 * What a state dict holds, as PyTorch's `state_dict()` orders it: per module (pre-order) its
 * non-null parameters, then its persistent non-null buffers. Shared tensors appear under each name.
 */
export function stateTensorsOf(root: SlotOwner, prefix: string): Array<[string, Tensor]> {
  const out: Array<[string, Tensor]> = [];
  const visit = (m: SlotOwner, pre: string): void => {
    const { parameters, buffers, nonPersistent, modules } = m._slots;
    for (const [n, p] of parameters) if (p !== null) out.push([join(pre, n), p]);
    for (const [n, b] of buffers) if (b !== null && !nonPersistent.has(n)) out.push([join(pre, n), b]);
    for (const [n, c] of modules) if (c !== null) visit(c, join(pre, n));
  };
  visit(root, prefix);
  return out;
}

/** The submodule of `root` at a dotted path (`'encoder.0'`); `''` is `root`. */
export function submoduleAt<M extends SlotOwner>(root: M, target: string): M {
  if (target === '') return root;
  let m: SlotOwner = root;
  for (const part of target.split('.')) {
    const next = m._slots.modules.get(part);
    if (next === undefined || next === null) throw new Error(`${m.constructor.name} has no submodule '${part}' (looking up '${target}')`);
    m = next;
  }
  return m as M;
}

/** The parameter of `root` at a dotted path (`'encoder.0.weight'`). */
export function parameterAt(root: SlotOwner, target: string): Parameter {
  const i = target.lastIndexOf('.');
  const owner = submoduleAt(root, i < 0 ? '' : target.slice(0, i));
  const p = owner._slots.parameters.get(target.slice(i + 1));
  if (p === undefined || p === null) throw new Error(`${owner.constructor.name} has no parameter '${target.slice(i + 1)}' (looking up '${target}')`);
  return p;
}

/** PyTorch's module repr: `Name(extra)` or a multi-line tree with `(child): ...` lines. */
export function renderModule(name: string, extra: string, children: ReadonlyArray<[string, { toString(): string } | null]>): string {
  const lines: string[] = extra ? extra.split('\n') : [];
  for (const [child, m] of children) lines.push(`(${child}): ${m === null ? 'null' : m.toString().split('\n').join('\n  ')}`);
  if (lines.length === 0) return `${name}()`;
  if (children.length === 0 && lines.length === 1) return `${name}(${lines[0]})`;
  return `${name}(\n  ${lines.join('\n  ')}\n)`;
}
