import type { Tensor } from './tensor.js';

const MAX_SHOWN = 1000;

function fmtNum(v: number, isFloat: boolean): string {
  if (!isFloat) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  return Number(v.toPrecision(4)).toString();
}

/** Renders a tensor like PyTorch: `tensor([[1., 2.]], requiresGrad=true)`. */
export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return `tensor(<disposed>, shape=[${t.shape.join(', ')}])`;
  const extras: string[] = [];
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.gradFn !== null) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  const suffix = extras.length ? `, ${extras.join(', ')}` : '';
  const backend = t.engine.getBackend(t.backendName);
  if (!backend.supportsSyncRead || t.numel() > MAX_SHOWN) {
    return `tensor(<${t.numel()} values on ${t.backendName}>, shape=[${t.shape.join(', ')}]${suffix})`;
  }
  const vals = t.dataSync();
  const isF = t.dtype === 'float32' || t.dtype === 'float64';
  const isB = t.dtype === 'bool';
  const rec = (dim: number, off: number): string => {
    if (dim === t.shape.length) {
      const v = vals[off] as number;
      return isB ? (v ? 'true' : 'false') : fmtNum(v, isF);
    }
    const n = t.shape[dim] as number;
    let inner = 1;
    for (let d = dim + 1; d < t.shape.length; d++) inner *= t.shape[d] as number;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(rec(dim + 1, off + i * inner));
    return `[${parts.join(', ')}]`;
  };
  return `tensor(${rec(0, 0)}${suffix})`;
}
