/**
 * The two plots of the page, drawn as SVG: the loss curve (log scale) with the stretches undone by
 * back-steps, a marker where each back-step returned to, and the hand-set learning rates; and the
 * model's fit to the data.
 */
import type { BackStepMark, Branch, LossPoint, LrMark } from './trainer.js';

const NS = 'http://www.w3.org/2000/svg';

/** What the loss chart draws. */
export interface LossChartData {
  points: LossPoint[];
  branches: Branch[];
  backSteps: BackStepMark[];
  lrMarks: LrMark[];
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function el<K extends keyof SVGElementTagNameMap>(parent: Element, tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000 || a < 0.001) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(2)));
}

/** "Nice" linear ticks over [lo, hi]. */
function linearTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/** Ticks for a log axis over [lo, hi] (values, not logs): decades, plus 2 and 5 when few decades. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const decades = Math.log10(hi) - Math.log10(lo);
  const mults = decades < 1.2 ? [1, 2, 3, 5, 7] : decades < 2 ? [1, 2, 3, 5] : decades < 3 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mults) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

function clear(svg: SVGSVGElement): void {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
}

function frame(svg: SVGSVGElement, width: number, height: number, title: string): Box {
  clear(svg);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const box = { left: 64, top: 34, width: width - 64 - 20, height: height - 34 - 44 };
  el(svg, 'rect', { x: 0, y: 0, width, height, fill: '#ffffff' });
  el(svg, 'text', { x: box.left, y: 20, class: 'chart-title' }, title);
  el(svg, 'rect', { x: box.left, y: box.top, width: box.width, height: box.height, fill: '#fafbfc', stroke: '#d0d7de' });
  return box;
}

/** Draws the loss curve into `svg`. */
export function drawLossChart(svg: SVGSVGElement, data: LossChartData): void {
  const W = 760;
  const H = 340;
  const box = frame(svg, W, H, 'loss on the full data set (log scale) after each step');
  const all = [...data.points, ...data.branches.flatMap((b) => b.points)];
  const finite = all.filter((p) => Number.isFinite(p.loss) && p.loss > 0);
  const maxStep = Math.max(10, ...all.map((p) => p.step));
  let lo = Math.min(...finite.map((p) => p.loss));
  let hi = Math.max(...finite.map((p) => p.loss));
  if (!Number.isFinite(lo)) [lo, hi] = [0.01, 1];
  if (hi / lo < 10) {
    const mid = Math.sqrt(hi * lo);
    [lo, hi] = [mid / Math.sqrt(10), mid * Math.sqrt(10)];
  }
  const lLo = Math.log10(lo) - 0.05 * (Math.log10(hi) - Math.log10(lo));
  const lHi = Math.log10(hi) + 0.08 * (Math.log10(hi) - Math.log10(lo));
  const x = (step: number): number => box.left + (step / maxStep) * box.width;
  const y = (loss: number): number => {
    const l = Number.isFinite(loss) && loss > 0 ? Math.log10(loss) : lHi;
    return box.top + (1 - (Math.min(Math.max(l, lLo), lHi) - lLo) / (lHi - lLo)) * box.height;
  };

  // axes
  for (const t of logTicks(10 ** lLo, 10 ** lHi)) {
    el(svg, 'line', { x1: box.left, x2: box.left + box.width, y1: y(t), y2: y(t), class: 'grid' });
    el(svg, 'text', { x: box.left - 6, y: y(t) + 4, class: 'tick', 'text-anchor': 'end' }, fmt(t));
  }
  for (const t of linearTicks(0, maxStep, 8)) {
    el(svg, 'line', { x1: x(t), x2: x(t), y1: box.top + box.height, y2: box.top + box.height + 4, stroke: '#57606a' });
    el(svg, 'text', { x: x(t), y: box.top + box.height + 17, class: 'tick', 'text-anchor': 'middle' }, String(t));
  }
  el(svg, 'text', { x: box.left + box.width / 2, y: H - 8, class: 'axis-label', 'text-anchor': 'middle' }, 'optimizer step');

  // hand-set learning rates
  for (const m of data.lrMarks) {
    el(svg, 'line', { x1: x(m.step), x2: x(m.step), y1: box.top, y2: box.top + box.height, class: 'lr-mark' });
    el(svg, 'text', { x: x(m.step) + 4, y: box.top + 12, class: 'lr-label' }, `lr ${m.lr}`);
  }

  const path = (pts: LossPoint[]): string => pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.step).toFixed(2)},${y(p.loss).toFixed(2)}`).join('');

  // undone stretches
  const labelled = new Set<string>();
  data.branches.forEach((b, i) => {
    if (b.points.length < 2) return;
    const d = path(b.points);
    el(svg, 'path', { d, class: 'branch', 'data-branch': i });
    if (labelled.has(d)) return;
    labelled.add(d);
    const end = b.points[b.points.length - 1] as LossPoint;
    const lr = b.points[1]?.lr;
    const nearRight = x(end.step) > box.left + box.width - 110;
    el(svg, 'text', { x: x(end.step) + (nearRight ? -5 : 5), y: y(end.loss) - 6, class: 'branch-label', 'text-anchor': nearRight ? 'end' : 'start' }, `undone${lr !== undefined ? ` (lr ${Number(lr.toPrecision(3))})` : ''}`);
  });

  // the current trajectory
  el(svg, 'path', { d: path(data.points), class: 'curve', id: 'loss-curve' });

  // back-step markers: an arrow from where the back-step started to the point it returned to
  // (a back-step repeated over the same stretch is drawn once, with a count)
  const seen = new Map<string, SVGTextElement>();
  const repeats = new Map<string, number>();
  data.backSteps.forEach((b, i) => {
    const key = `${b.from}>${b.to}`;
    const g = el(svg, 'g', { class: 'backstep-marker', 'data-from': b.from, 'data-to': b.to });
    const label = seen.get(key);
    if (label !== undefined) {
      const count = (repeats.get(key) ?? 1) + 1;
      repeats.set(key, count);
      label.textContent = `${label.textContent!.replace(/ \(×\d+\)$/, '')} (×${count})`;
      return;
    }
    const branch = data.branches[i];
    const fromPoint = branch?.points[branch.points.length - 1];
    const x0 = x(b.from);
    const y0 = fromPoint ? y(fromPoint.loss) : y(b.loss);
    const x1 = x(b.to);
    const y1 = y(b.loss);
    el(g, 'line', { x1, x2: x1, y1: box.top, y2: box.top + box.height, class: 'backstep-line' });
    const midX = (x0 + x1) / 2;
    const lift = Math.min(y0, y1) - 28;
    el(g, 'path', { d: `M${x0},${y0 - 6} Q${midX},${Math.max(box.top + 4, lift)} ${x1 + 8},${y1 - 6}`, class: 'backstep-arrow', 'marker-end': 'url(#arrowhead)' });
    el(g, 'circle', { cx: x1, cy: y1, r: 6, class: 'backstep-point' });
    const n = b.from - b.to;
    const nearRight = x1 > box.left + box.width - 170;
    seen.set(key, el(g, 'text', { x: x1 + (nearRight ? -8 : 8), y: y1 + 18, class: 'backstep-label', 'text-anchor': nearRight ? 'end' : 'start' }, `↶ back ${n} step${n === 1 ? '' : 's'} to ${b.to}`));
  });

  // arrowhead definition (referenced above; defs may come last in SVG)
  const defs = el(svg, 'defs', {});
  const marker = el(defs, 'marker', { id: 'arrowhead', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  el(marker, 'path', { d: 'M0,0 L10,5 L0,10 z', fill: '#cf222e' });

  const last = data.points[data.points.length - 1];
  if (last) el(svg, 'circle', { cx: x(last.step), cy: y(last.loss), r: 4, class: 'current-point' });
}

/** Draws the data (dots), the target curve and the model's predictions into `svg`. */
export function drawFitChart(svg: SVGSVGElement, dataX: number[], dataY: number[], gridX: number[], target: number[], pred: number[]): void {
  const W = 380;
  const H = 340;
  const box = frame(svg, W, H, 'the model’s fit');
  const ys = [...dataY, ...pred.filter(Number.isFinite)];
  const lo = Math.min(...ys, -1.5);
  const hi = Math.max(...ys, 1.5);
  const xLo = Math.min(...dataX);
  const xHi = Math.max(...dataX);
  const x = (v: number): number => box.left + ((v - xLo) / (xHi - xLo)) * box.width;
  const y = (v: number): number => box.top + (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * box.height;
  for (const t of linearTicks(lo, hi, 6)) {
    el(svg, 'line', { x1: box.left, x2: box.left + box.width, y1: y(t), y2: y(t), class: 'grid' });
    el(svg, 'text', { x: box.left - 6, y: y(t) + 4, class: 'tick', 'text-anchor': 'end' }, fmt(t));
  }
  for (const t of linearTicks(xLo, xHi, 4)) {
    el(svg, 'text', { x: x(t), y: box.top + box.height + 17, class: 'tick', 'text-anchor': 'middle' }, fmt(t));
  }
  el(svg, 'text', { x: box.left + box.width / 2, y: H - 8, class: 'axis-label', 'text-anchor': 'middle' }, 'x');
  dataX.forEach((v, i) => el(svg, 'circle', { cx: x(v), cy: y(dataY[i] as number), r: 2.2, class: 'data-point' }));
  const line = (vs: number[]): string => gridX.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(v).toFixed(2)},${y(vs[i] as number).toFixed(2)}`).join('');
  el(svg, 'path', { d: line(target), class: 'target' });
  if (pred.length === gridX.length) el(svg, 'path', { d: line(pred), class: 'prediction' });
  el(svg, 'text', { x: box.left + 8, y: box.top + 16, class: 'legend-target' }, '— target');
  el(svg, 'text', { x: box.left + 78, y: box.top + 16, class: 'legend-pred' }, '— model');
}
