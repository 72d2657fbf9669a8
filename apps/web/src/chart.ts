import { h, svg } from './dom.js';

export interface Series {
  readonly name: string;
  /** Colour class in styles.css (`series-1` …); the legend repeats it, and the data is also in a table. */
  readonly className: string;
  readonly values: readonly number[];
}

export interface ChartOptions {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly categories: readonly string[];
  readonly series: readonly Series[];
  readonly format: (value: number) => string;
  /** Stack the series per category instead of placing them side by side. */
  readonly stacked?: boolean;
}

const WIDTH = 720;
const HEIGHT = 300;
const LEFT = 96;
const BOTTOM = 72;
const TOP = 12;

/** A bar chart drawn as SVG; screen readers get its title and description, the figures are in the table beside it. */
export function barChart(options: ChartOptions): HTMLElement {
  const { categories, series, stacked } = options;
  const totals = categories.map((_c, i) => series.map((s) => s.values[i] ?? 0));
  const tops = totals.map((values) => (stacked ? [values.reduce((a, b) => a + Math.max(b, 0), 0)] : values)).flat();
  const bottoms = totals.map((values) => (stacked ? [values.reduce((a, b) => a + Math.min(b, 0), 0)] : values)).flat();
  // Gridlines at round values: steps of 1, 2 or 5 times a power of ten.
  const raw = (Math.max(0, ...tops) - Math.min(0, ...bottoms)) / 4 || 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw)!;
  const max = Math.ceil(Math.max(0, ...tops) / step) * step;
  const min = Math.floor(Math.min(0, ...bottoms) / step) * step;
  const span = max - min || 1;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const y = (value: number) => TOP + ((max - value) / span) * plotHeight;
  const band = (WIDTH - LEFT) / Math.max(categories.length, 1);
  const barWidth = Math.min(48, (band * 0.8) / (stacked ? 1 : series.length));
  const ticks = Array.from({ length: Math.round(span / step) + 1 }, (_v, i) => min + i * step);

  const bars = categories.flatMap((category, ci) => {
    let up = 0;
    let down = 0;
    return series.map((s, si) => {
      const value = s.values[ci] ?? 0;
      const base = stacked ? (value >= 0 ? up : down) : 0;
      if (stacked && value >= 0) up += value;
      else if (stacked) down += value;
      const x = LEFT + ci * band + (band - barWidth * (stacked ? 1 : series.length)) / 2 + (stacked ? 0 : si * barWidth);
      const top = y(Math.max(base, base + value));
      const height = Math.max(Math.abs(y(base) - y(base + value)), value === 0 ? 0 : 1);
      return svg('rect', { class: s.className, x: x.toFixed(1), y: top.toFixed(1), width: (barWidth - 2).toFixed(1), height: height.toFixed(1) }, svg('title', null, `${category}, ${s.name}: ${options.format(value)}`));
    });
  });

  const chart = svg(
    'svg',
    { class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': `${options.id}-title ${options.id}-desc` },
    svg('title', { id: `${options.id}-title` }, options.title),
    svg('desc', { id: `${options.id}-desc` }, options.description),
    ticks.map((tick) => [
      svg('line', { class: 'grid', x1: LEFT, x2: WIDTH, y1: y(tick).toFixed(1), y2: y(tick).toFixed(1) }),
      svg('text', { class: 'axis', x: LEFT - 8, y: (y(tick) + 4).toFixed(1), 'text-anchor': 'end' }, options.format(tick)),
    ]),
    svg('line', { class: 'baseline', x1: LEFT, x2: WIDTH, y1: y(0).toFixed(1), y2: y(0).toFixed(1) }),
    bars,
    categories.map((category, ci) => {
      const x = (LEFT + ci * band + band / 2).toFixed(1);
      const label = category.length > 16 ? `${category.slice(0, 15)}…` : category;
      // Labels that would overlap are set at a slant.
      return band < 80
        ? svg('text', { class: 'axis', x, y: HEIGHT - BOTTOM + 12, 'text-anchor': 'end', transform: `rotate(-35 ${x} ${HEIGHT - BOTTOM + 12})` }, label)
        : svg('text', { class: 'axis', x, y: HEIGHT - BOTTOM + 18, 'text-anchor': 'middle' }, label);
    }),
  );
  return h(
    'figure',
    { class: 'chart-figure' },
    chart,
    h('figcaption', null, h('ul', { class: 'legend' }, series.map((s) => h('li', null, h('span', { class: `swatch ${s.className}`, 'aria-hidden': 'true' }), s.name)))),
  );
}

/** For drawing only: a decimal string as a number of euros (the figures themselves are shown from the strings). */
export const toNumber = (amount: string | null | undefined) => Number(amount ?? 0);
