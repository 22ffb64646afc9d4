// A line chart on uPlot (small, maintained, canvas): x is a date in seconds, y is money.
// uPlot picks axis ticks at round values (1, 2, 5 x 10^n; whole months and years).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { moneyCompact, money } from '../lib/format';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  fill?: string;
  dash?: number[];
  stepped?: boolean;
}

export function Chart({
  title,
  description,
  x,
  series,
  currency,
  height = 240,
}: {
  title: string;
  /** Read by screen readers instead of the canvas. */
  description: string;
  x: number[];
  series: ChartSeries[];
  currency: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(280, el.clientWidth);
    const opts: uPlot.Options = {
      width,
      height,
      scales: { x: { time: true } },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          spanGaps: true,
          ...(s.fill ? { fill: s.fill } : {}),
          ...(s.dash ? { dash: s.dash } : {}),
          ...(s.stepped ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : money(v.toFixed(2), currency)),
        })),
      ],
      axes: [
        { stroke: '#4b5563', grid: { stroke: '#e5e7eb' } },
        {
          stroke: '#4b5563',
          grid: { stroke: '#e5e7eb' },
          size: 64,
          values: (_u: uPlot, splits: number[]) => splits.map((v) => moneyCompact(v, currency)),
        },
      ],
    };
    const plot = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => {
      const w = Math.max(280, el.clientWidth);
      if (Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [x, series, currency, height]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}. ${description}`} className="chart-box" />
    </figure>
  );
}
