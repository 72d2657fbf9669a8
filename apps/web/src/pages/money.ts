import { api, lawNames } from '../api.js';
import { barChart, toNumber } from '../chart.js';
import { h, table } from '../dom.js';
import { form, options } from '../forms.js';
import { dateTime, euro, lawName } from '../format.js';
import { go, type Page, type Route } from '../page.js';
import { can } from '../session.js';

const DIMENSIONS: Readonly<Record<string, string>> = {
  law: 'Wet of budget',
  budget: 'Begroting',
  taakveld: 'Iv3-taakveld',
  boekjaar: 'Boekjaar',
  month: 'Maand',
  interventionType: 'Soort interventie',
};
const MONEY = ['huidig', 'dreigend', 'doorbraak', 'directCosts', 'realBenefit', 'committed', 'paid', 'reversed'] as const;
const MONEY_LABELS = ['Huidig', 'Dreigend', 'Doorbraak', 'Directe kosten', 'Reële baten', 'Verplicht', 'Betaald', 'Teruggedraaid'];

type Cell = Record<string, string | number | null> & { sources: number };

interface Source {
  readonly kind: 'cost-line' | 'spend';
  readonly planId: string;
  readonly budgetId?: string;
  readonly events: readonly { type: string; eventId: string; recordedAt: string; logPosition: string }[];
  readonly [amount: string]: unknown;
}

interface Finding {
  readonly rule: string;
  readonly criterion: string;
  readonly boekjaar: number;
  readonly severity: string;
  readonly subject: { kind: string; id: string };
  readonly message: string;
  readonly events: readonly { type: string; streamId: string }[];
}

const amount = (value: unknown) => h('span', { class: 'num' }, euro(value === null || value === undefined ? null : String(value)));
const planLink = (planId: string) => (can('case:read') ? h('a', { href: `#/plannen/${planId}` }, 'plan') : null);
const auditLink = (planId: string) => (can('audit:read') ? h('a', { href: `#/plannen/${planId}/audit` }, 'audit trail') : null);

async function sources(dimension: string, value: string, shown: string): Promise<HTMLElement> {
  const { items } = await api<{ items: Source[] }>('GET', `/v1/cost-tables/sources?${new URLSearchParams({ [dimension]: value })}`);
  return h(
    'section',
    { 'aria-labelledby': 'herkomst' },
    h('h2', { id: 'herkomst' }, `Herkomst: ${DIMENSIONS[dimension]} ${shown}`),
    table(
      `${items.length} kostenregels en uitgaven`,
      ['Soort', 'Huidig', 'Dreigend', 'Doorbraak', 'Verplicht', 'Betaald', 'Teruggedraaid', 'Gebeurtenissen', 'Verder'],
      items.map((s) => [
        s.kind === 'spend' ? 'Uitgave' : 'Kostenregel',
        amount(s['huidig']),
        amount(s['dreigend']),
        amount(s['doorbraak']),
        amount(s['committed']),
        amount(s['paid']),
        amount(s['reversed']),
        h('ul', { class: 'plain' }, s.events.map((e) => h('li', null, `${e.type}, ${dateTime(e.recordedAt)} (${e.logPosition.replace(/^0+/, '').replace(/-0+/, '-')})`))),
        h('span', { class: 'links' }, planLink(s.planId), ' ', auditLink(s.planId), ' ', s.budgetId ? h('a', { href: `#/begrotingen/${s.budgetId}` }, 'begroting') : null),
      ]),
    ),
  );
}

async function findings(boekjaar: string | null): Promise<HTMLElement> {
  const filter = boekjaar ? `?boekjaar=${boekjaar}` : '';
  const [summary, list] = await Promise.all([
    api<{ items: { boekjaar: number; rule: string; criterion: string; checked: number; errors: number; flags: number }[] }>('GET', `/v1/rechtmatigheid/summary${filter}`),
    api<{ items: Finding[] }>('GET', `/v1/rechtmatigheid/findings${filter}`),
  ]);
  return h(
    'section',
    { 'aria-labelledby': 'rechtmatigheid' },
    h('h2', { id: 'rechtmatigheid' }, 'Rechtmatigheid'),
    table(
      'Bevindingen per boekjaar en criterium',
      ['Regel', 'Boekjaar', 'Criterium', 'Getoetst', 'Fouten', 'Signalen'],
      summary.items.map((s) => [s.rule, String(s.boekjaar), s.criterion, String(s.checked), s.errors ? h('strong', { class: 'late' }, String(s.errors)) : '0', String(s.flags)]),
    ),
    h(
      'details',
      null,
      h('summary', null, `${list.items.length} bevindingen`),
      table(
        'Bevindingen',
        ['Regel', 'Ernst', 'Criterium', 'Wat', 'Onderwerp', 'Gebeurtenissen'],
        list.items.map((f) => [f.rule, f.severity === 'error' ? 'fout' : 'signaal', f.criterion, f.message, `${f.subject.kind} ${f.subject.id.slice(0, 8)}`, f.events.map((e) => e.type).join(', ')]),
      ),
    ),
  );
}

/** Per-law cost tables, planned against actual, with the drill-down to events and the rechtmatigheid findings. */
export async function moneyPage({ query }: Route): Promise<Page> {
  const dimension = DIMENSIONS[query.get('groupBy') ?? ''] ? query.get('groupBy')! : 'law';
  const [{ items }, laws] = await Promise.all([api<{ items: Cell[] }>('GET', `/v1/cost-tables?groupBy=${dimension}`), lawNames()]);
  const label = (cell: Cell) => String(cell[dimension] ?? '—');
  // A law is shown by its name beside its code; the chart's axis keeps the short code, the table names it.
  const shown = (value: string) => (dimension === 'law' ? lawName(laws, value) : value);
  const choose = form({
    id: 'group-by',
    fields: [{ kind: 'select', name: 'groupBy', label: 'Groeperen naar', options: options(Object.keys(DIMENSIONS), DIMENSIONS), value: dimension }],
    submit: 'Tonen',
    done: '',
    onSubmit: async (body) => go(`#/geld?groupBy=${String(body['groupBy'] ?? 'law')}`),
  });
  const drill = query.get('herkomst');
  return {
    title: 'Geld: kosten per wet',
    content: h(
      'div',
      null,
      choose,
      table(
        `Gepland (drie scenario's) en werkelijk, per ${DIMENSIONS[dimension]!.toLowerCase()}`,
        [DIMENSIONS[dimension]!, ...MONEY_LABELS, 'Herkomst'],
        items.map((cell) => [
          dimension === 'budget' && cell['budget'] ? h('a', { href: `#/begrotingen/${label(cell)}` }, label(cell)) : shown(label(cell)),
          ...MONEY.map((key) => amount(cell[key])),
          h('a', { href: `#/geld?groupBy=${dimension}&herkomst=${encodeURIComponent(label(cell))}`, 'aria-label': `${sourceCount(cell.sources)} van ${shown(label(cell))}` }, sourceCount(cell.sources)),
        ]),
        { class: 'cost-table' },
      ),
      barChart({
        id: 'cost-chart',
        title: `Gepland tegenover werkelijk per ${DIMENSIONS[dimension]!.toLowerCase()}`,
        description: 'Kosten in het doorbraakscenario tegenover wat verplicht en betaald is; de cijfers staan in de tabel.',
        categories: items.map(label),
        series: [
          { name: 'Doorbraak (gepland)', className: 'series-3', values: items.map((c) => toNumber(c['doorbraak'] as string)) },
          { name: 'Verplicht', className: 'series-4', values: items.map((c) => toNumber(c['committed'] as string)) },
          { name: 'Betaald', className: 'series-5', values: items.map((c) => toNumber(c['paid'] as string)) },
        ],
        format: (n) => euro(n.toFixed(0)),
      }),
      drill ? await sources(dimension, drill, shown(drill)) : null,
      await findings(query.get('boekjaar')),
    ),
  };
}

const sourceCount = (count: number): string => `${count} ${count === 1 ? 'bron' : 'bronnen'}`;
