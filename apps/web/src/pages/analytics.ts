import { api } from '../api.js';
import { barChart } from '../chart.js';
import { facts, h, table } from '../dom.js';
import { outcomeLabel } from '../format.js';
import type { Page } from '../page.js';

interface Analytics {
  readonly plans: number;
  readonly interventionUse: readonly { month: string; interventionType: string; targetGroup: string; doorbraken: number }[];
  readonly leadTimeDays: { decided: number; median: number | null; p90: number | null };
  readonly decisions: Readonly<Record<string, number>>;
  readonly evaluationOutcomes: Readonly<Record<string, number>>;
}

const count = (n: number) => String(Math.round(n));

/** Pseudonymised figures: lead time from submission to decision, use of interventions per month, outcomes. */
export async function analyticsPage(): Promise<Page> {
  const a = await api<Analytics>('GET', '/v1/analytics');
  const months = [...new Set(a.interventionUse.map((u) => u.month))].sort();
  const types = [...new Set(a.interventionUse.map((u) => u.interventionType))].sort();
  const use = (month: string, type: string) => a.interventionUse.filter((u) => u.month === month && u.interventionType === type).reduce((n, u) => n + u.doorbraken, 0);
  const decisions = Object.entries(a.decisions);
  const outcomes = Object.entries(a.evaluationOutcomes);
  return {
    title: 'Analyse',
    content: h(
      'div',
      null,
      h('section', { 'aria-labelledby': 'doorlooptijd' }, h('h2', { id: 'doorlooptijd' }, 'Doorlooptijd van indienen tot besluit'), facts([
        ['Plannen', String(a.plans)],
        ['Besloten', String(a.leadTimeDays.decided)],
        ['Mediaan', a.leadTimeDays.median === null ? '—' : `${a.leadTimeDays.median} dagen`],
        ['90e percentiel', a.leadTimeDays.p90 === null ? '—' : `${a.leadTimeDays.p90} dagen`],
      ])),
      h(
        'section',
        { 'aria-labelledby': 'interventies' },
        h('h2', { id: 'interventies' }, 'Gebruik van interventies per maand'),
        barChart({
          id: 'use-chart',
          title: 'Doorbraken per maand naar soort interventie',
          description: `Van ${months[0] ?? '—'} tot ${months.at(-1) ?? '—'}; de aantallen staan in de tabel.`,
          categories: months,
          series: types.map((type, i) => ({ name: type, className: `series-${(i % 9) + 1}`, values: months.map((m) => use(m, type)) })),
          format: count,
          stacked: true,
        }),
        table('Doorbraken per maand', ['Maand', ...types], months.map((m) => [m, ...types.map((t) => String(use(m, t)))])),
      ),
      h(
        'section',
        { 'aria-labelledby': 'uitkomsten' },
        h('h2', { id: 'uitkomsten' }, 'Uitkomsten'),
        barChart({
          id: 'outcome-chart',
          title: 'Besluiten en evaluaties naar uitkomst',
          description: 'Aantallen per uitkomst; ook in de tabel.',
          categories: [...decisions, ...outcomes].map(([key]) => outcomeLabel[key] ?? key),
          series: [{ name: 'Aantal', className: 'series-3', values: [...decisions, ...outcomes].map(([, n]) => n) }],
          format: count,
        }),
        table('Uitkomsten', ['Uitkomst', 'Soort', 'Aantal'], [...decisions.map(([k, n]) => [outcomeLabel[k] ?? k, 'besluit', String(n)]), ...outcomes.map(([k, n]) => [outcomeLabel[k] ?? k, 'evaluatie', String(n)])]),
      ),
    ),
  };
}
