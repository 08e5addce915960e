// The popover's charts (uPlot, drawn on canvas; its CSS is a linked file, so
// the strict CSP holds): the current 5-hour window's cumulative usage with the
// cap line at 100 % and the projection to the reset, and the last 7 days as
// daily bars.
import uPlot from 'uplot';
import type { DashboardData } from '../shared/ipc-contract.js';
import { dollarTicks } from './format.js';

let windowChart: uPlot | null = null;
let daysChart: uPlot | null = null;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

const axisFont = '10px system-ui, sans-serif';

function axis(values?: uPlot.Axis['values'], size = 34): uPlot.Axis {
  return { stroke: cssVar('--muted'), grid: { stroke: cssVar('--line'), width: 1 }, ticks: { show: false }, font: axisFont, size, ...(values ? { values } : {}) };
}

const hhmm = (_u: uPlot, ticks: number[]) => ticks.map((t) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(t * 1000)));

/** Aligned series for uPlot: x in seconds; used, cap, projection (null where a series has no point). */
export function windowSeries(data: DashboardData): uPlot.AlignedData {
  const { points, projection, unit, startsAt, resetsAt } = data.fiveHour;
  const xs = new Set<number>();
  for (const [t] of points) xs.add(t);
  for (const [t] of projection) xs.add(t);
  if (startsAt) xs.add(Date.parse(startsAt));
  if (resetsAt) xs.add(Date.parse(resetsAt));
  const sorted = [...xs].sort((a, b) => a - b);
  const used = new Map(points);
  const proj = new Map(projection);
  return [
    sorted.map((t) => t / 1000),
    sorted.map((t) => used.get(t) ?? null),
    sorted.map(() => (unit === 'percent' ? 100 : null)),
    sorted.map((t) => proj.get(t) ?? null),
  ];
}

/** Chart heights that fill the panel: 60 % for the window, the rest for the days. */
export function chartHeights(panelHeight: number, captions: number): [number, number] {
  const free = Math.max(150, panelHeight - captions - 6);
  const windowHeight = Math.round(free * 0.6);
  return [windowHeight, free - windowHeight];
}

export function drawCharts(data: DashboardData, width: number, panelHeight: number): void {
  const captions = Array.from(document.querySelectorAll<HTMLElement>('#panel-chart figcaption')).reduce((sum, c) => sum + c.offsetHeight, 0);
  const [windowHeight, daysHeight] = chartHeights(panelHeight, captions);
  const windowHost = document.getElementById('chart-window')!;
  const daysHost = document.getElementById('chart-days')!;
  windowChart?.destroy();
  daysChart?.destroy();
  const percentUnit = data.fiveHour.unit === 'percent';
  const accent = cssVar('--accent');
  const warn = cssVar('--warn');
  const series = windowSeries(data);
  const top = Math.max(percentUnit ? 110 : 1, ...(series.slice(1).flat().filter((v): v is number => typeof v === 'number').map((v) => v * 1.1)));
  windowChart = new uPlot(
    {
      width,
      height: windowHeight,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: [0, top] } },
      axes: [axis(hhmm, 22), axis((_u, ticks) => (percentUnit ? ticks.map((v) => `${Math.round(v)}%`) : dollarTicks(ticks)), 38)],
      series: [
        {},
        { label: percentUnit ? 'Used (%)' : 'Used (USD)', stroke: accent, width: 2, fill: `${accent}33`, spanGaps: true, points: { show: false } },
        { label: 'Cap', stroke: warn, width: 1, dash: [4, 3], spanGaps: true, points: { show: false } },
        { label: 'Projection', stroke: accent, width: 1.5, dash: [2, 3], spanGaps: true, points: { show: false } },
      ],
    },
    series,
    windowHost,
  );
  const days = data.days;
  daysChart = new uPlot(
    {
      width,
      height: daysHeight,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.6, days.length - 0.4] }, y: { range: [0, Math.max(1, ...days.map((d) => d.costUSD)) * 1.15] } },
      axes: [
        axis((_u, ticks) => ticks.map((i) => (Number.isInteger(i) && days[i] ? new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${days[i]!.day}T12:00:00Z`)) : '')), 20),
        axis((_u, ticks) => dollarTicks(ticks), 38),
      ],
      series: [{}, { label: 'USD', fill: accent, stroke: accent, paths: uPlot.paths.bars!({ size: [0.6, 40] }), points: { show: false } }],
    },
    [days.map((_, i) => i), days.map((d) => d.costUSD)],
    daysHost,
  );
  document.getElementById('chart-window-caption')!.textContent = percentUnit ? '5-hour window · % of the cap, projection to the reset' : '5-hour window · USD (no cap known)';
}
