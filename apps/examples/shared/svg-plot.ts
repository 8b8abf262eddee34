/**
 * A tiny dependency-free SVG plotting helper for the examples: line and scatter series on linear
 * axes with "nice" ticks, axis labels, a title and a legend, one or more panels side by side.
 *
 * ```ts
 * const svg = renderFigure({ panels: [{ title: 'loss', xLabel: 'step', series: [{ name: 'train', x, y }] }] });
 * writeSvg('out/loss.svg', svg);
 * ```
 *
 * Every `line` series becomes one `<polyline>`; every point of a `scatter` series one `<circle>`
 * (so tests can count them). Non-finite points are dropped (a line is split into several polylines
 * only where it has a gap: that is the one exception to "one polyline per line series").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One data series. */
export interface Series {
  /** Legend label. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** `'line'` (default) or `'scatter'`. */
  kind?: 'line' | 'scatter';
  /** CSS colour; default: the next colour of the palette. */
  color?: string;
  /** Dashed line (lines only). */
  dashed?: boolean;
  /** Line width or point radius (default 1.6 / 2). */
  width?: number;
  /** Opacity (default 1 for lines, 0.55 for scatter points). */
  opacity?: number;
}

/** One plot area with its axes. */
export interface Panel {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  series: Series[];
  /** Fixed axis ranges (default: the data range, padded to nice ticks). */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Legend corner (default 'top-right'). */
  legend?: 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left' | 'none';
}

/** A figure: panels laid out left to right. */
export interface Figure {
  panels: Panel[];
  /** Size of one panel in pixels (default 560 × 380). */
  panelWidth?: number;
  panelHeight?: number;
  /** Optional figure title above the panels. */
  title?: string;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const MARGIN = { left: 64, right: 16, top: 34, bottom: 48 };

/** "Nice" tick values covering [lo, hi] (about `count` of them). */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= hi + step * 1e-9 || ticks.length < 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < hi - step * 1e-9) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function fmtTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function renderPanel(panel: Panel, ox: number, w: number, h: number, colorStart: number): string {
  const px = ox + MARGIN.left;
  const py = MARGIN.top;
  const pw = w - MARGIN.left - MARGIN.right;
  const ph = h - MARGIN.top - MARGIN.bottom;
  const allX = panel.series.flatMap((s) => Array.from(s.x));
  const allY = panel.series.flatMap((s) => Array.from(s.y));
  const [dx0, dx1] = panel.xRange ?? extent(allX);
  const [dy0, dy1] = panel.yRange ?? extent(allY);
  const xt = panel.xRange ? niceTicks(dx0, dx1).filter((t) => t >= dx0 - 1e-12 && t <= dx1 + 1e-12) : niceTicks(dx0, dx1);
  const yt = panel.yRange ? niceTicks(dy0, dy1).filter((t) => t >= dy0 - 1e-12 && t <= dy1 + 1e-12) : niceTicks(dy0, dy1);
  const x0 = panel.xRange ? dx0 : xt[0]!;
  const x1 = panel.xRange ? dx1 : xt[xt.length - 1]!;
  const y0 = panel.yRange ? dy0 : yt[0]!;
  const y1 = panel.yRange ? dy1 : yt[yt.length - 1]!;
  const sx = (v: number) => px + ((v - x0) / (x1 - x0 || 1)) * pw;
  const sy = (v: number) => py + ph - ((v - y0) / (y1 - y0 || 1)) * ph;
  const out: string[] = [];
  out.push(`<g class="panel">`);
  out.push(`<rect x="${px}" y="${py}" width="${pw}" height="${ph}" fill="#fff" stroke="#333" stroke-width="1"/>`);
  for (const t of xt) {
    const x = sx(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${py}" x2="${x}" y2="${py + ph}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${x}" y1="${py + ph}" x2="${x}" y2="${py + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${py + ph + 18}" text-anchor="middle" class="tick">${fmtTick(t)}</text>`);
  }
  for (const t of yt) {
    const y = sy(t).toFixed(1);
    out.push(`<line x1="${px}" y1="${y}" x2="${px + pw}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${px - 5}" y1="${y}" x2="${px}" y2="${y}" stroke="#333"/>`);
    out.push(`<text x="${px - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" class="tick">${fmtTick(t)}</text>`);
  }
  if (panel.title) out.push(`<text x="${px + pw / 2}" y="${py - 12}" text-anchor="middle" class="title">${esc(panel.title)}</text>`);
  if (panel.xLabel) out.push(`<text x="${px + pw / 2}" y="${h - 10}" text-anchor="middle" class="label">${esc(panel.xLabel)}</text>`);
  if (panel.yLabel) {
    const cx = ox + 16;
    const cy = py + ph / 2;
    out.push(`<text x="${cx}" y="${cy}" text-anchor="middle" transform="rotate(-90 ${cx} ${cy})" class="label">${esc(panel.yLabel)}</text>`);
  }
  out.push(`<clipPath id="clip${ox}"><rect x="${px}" y="${py}" width="${pw}" height="${ph}"/></clipPath>`);
  out.push(`<g clip-path="url(#clip${ox})">`);
  const colors: string[] = [];
  panel.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[(colorStart + i) % PALETTE.length]!;
    colors.push(color);
    const n = Math.min(s.x.length, s.y.length);
    if ((s.kind ?? 'line') === 'scatter') {
      const r = s.width ?? 2;
      const op = s.opacity ?? 0.55;
      for (let k = 0; k < n; k++) {
        const xv = s.x[k]!;
        const yv = s.y[k]!;
        if (!Number.isFinite(xv) || !Number.isFinite(yv)) continue;
        out.push(`<circle cx="${sx(xv).toFixed(2)}" cy="${sy(yv).toFixed(2)}" r="${r}" fill="${color}" fill-opacity="${op}"/>`);
      }
    } else {
      let pts: string[] = [];
      const flush = () => {
        if (pts.length > 0) {
          out.push(`<polyline fill="none" stroke="${color}" stroke-width="${s.width ?? 1.6}"${s.dashed ? ' stroke-dasharray="6 4"' : ''}${s.opacity !== undefined ? ` stroke-opacity="${s.opacity}"` : ''} points="${pts.join(' ')}"/>`);
        }
        pts = [];
      };
      for (let k = 0; k < n; k++) {
        const xv = s.x[k]!;
        const yv = s.y[k]!;
        if (!Number.isFinite(xv) || !Number.isFinite(yv)) flush();
        else pts.push(`${sx(xv).toFixed(2)},${sy(yv).toFixed(2)}`);
      }
      flush();
    }
  });
  out.push('</g>');
  const where = panel.legend ?? 'top-right';
  if (where !== 'none' && panel.series.length > 0) {
    const lw = Math.max(...panel.series.map((s) => s.name.length)) * 6.6 + 40;
    const lh = panel.series.length * 16 + 8;
    const lx = where.endsWith('right') ? px + pw - lw - 8 : px + 8;
    const ly = where.startsWith('top') ? py + 8 : py + ph - lh - 8;
    out.push(`<g class="legend"><rect x="${lx}" y="${ly}" width="${lw}" height="${lh}" fill="#fff" fill-opacity="0.85" stroke="#999"/>`);
    panel.series.forEach((s, i) => {
      const yy = ly + 14 + i * 16;
      const c = colors[i]!;
      if ((s.kind ?? 'line') === 'scatter') out.push(`<rect x="${lx + 13}" y="${yy - 7}" width="6" height="6" rx="3" fill="${c}"/>`); // not a <circle>: counts stay = data points
      else out.push(`<line x1="${lx + 6}" y1="${yy - 4}" x2="${lx + 26}" y2="${yy - 4}" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
      out.push(`<text x="${lx + 32}" y="${yy}" class="legend-text">${esc(s.name)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</g>');
  return out.join('\n');
}

/** Renders a figure to an SVG document string. */
export function renderFigure(fig: Figure): string {
  const w = fig.panelWidth ?? 560;
  const h = fig.panelHeight ?? 380;
  const top = fig.title ? 28 : 0;
  const width = w * fig.panels.length;
  const height = h + top;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    '<style>.tick{font-size:11px;fill:#333}.label{font-size:13px;fill:#111}.title{font-size:14px;font-weight:bold;fill:#111}.legend-text{font-size:11px;fill:#111}</style>',
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
  ];
  if (fig.title) parts.push(`<text x="${width / 2}" y="20" text-anchor="middle" class="title">${esc(fig.title)}</text>`);
  // every panel starts the palette afresh, so series at the same position share a colour
  fig.panels.forEach((p, i) => parts.push(`<g transform="translate(0 ${top})">${renderPanel(p, i * w, w, h, 0)}</g>`));
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** Renders one panel as a figure. */
export function renderPlot(panel: Panel, size: { width?: number; height?: number } = {}): string {
  return renderFigure({ panels: [panel], ...(size.width ? { panelWidth: size.width } : {}), ...(size.height ? { panelHeight: size.height } : {}) });
}

/** Writes an SVG string to `path`, creating the folder. Returns the path. */
export function writeSvg(path: string, svg: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg);
  return path;
}

/** Counts `<polyline` and `<circle` elements of an SVG string (for tests). */
export function countSvgElements(svg: string): { polylines: number; circles: number } {
  return { polylines: (svg.match(/<polyline /g) ?? []).length, circles: (svg.match(/<circle /g) ?? []).length };
}
