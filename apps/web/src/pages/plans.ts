import { api, enumOf } from '../api.js';
import { h, table } from '../dom.js';
import { type Field, form, options } from '../forms.js';
import { date, euro, statusLabel, today } from '../format.js';
import { go, type Page, type Route } from '../page.js';
import { can } from '../session.js';

export interface PlanRow {
  readonly planId: string;
  readonly householdId: string;
  readonly householdReference?: string;
  /** Made of the household's reference and codes: lists carry no free text. */
  readonly label: string;
  readonly status: string;
  readonly submittedOn?: string | null;
  readonly decidedOn?: string | null;
  readonly leadTimeDays?: number | null;
  readonly regisseur?: { professionalId?: string; role: string } | null;
  readonly laws: readonly string[];
  readonly interventionTypes: readonly string[];
  readonly openActions: readonly { dueOn: string }[];
  readonly totals?: { doorbraak: string; realBenefit: string };
}

const FILTERS = ['status', 'law', 'interventionType', 'regisseur', 'overdueOn'] as const;

/** The municipality's plans, filtered by status, law, intervention type, regisseur and overdue actions. */
export async function plansPage({ query }: Route): Promise<Page> {
  const filter = new URLSearchParams([...query].filter(([key, value]) => (FILTERS as readonly string[]).includes(key) && value));
  const [plans, laws, interventions] = await Promise.all([
    api<{ items: PlanRow[] }>('GET', `/v1/plans?${filter}`),
    enumOf('/v1/plans/{planId}/cost-lines', 'fundingSource'),
    enumOf('/v1/plans/{planId}/doorbraken', 'interventionType'),
  ]);
  const fields: Field[] = [
    { kind: 'select', name: 'status', label: 'Status', options: options(Object.keys(statusLabel), statusLabel), value: query.get('status') ?? '' },
    { kind: 'select', name: 'law', label: 'Wet', options: options(laws), value: query.get('law') ?? '' },
    { kind: 'select', name: 'interventionType', label: 'Soort interventie', options: options(interventions), value: query.get('interventionType') ?? '' },
    { kind: 'text', name: 'regisseur', label: 'Regisseur', value: query.get('regisseur') ?? '' },
    { kind: 'checkbox', name: 'overdue', label: 'Alleen plannen met acties over tijd', value: query.has('overdueOn') },
  ];
  const filters = form({
    id: 'plan-filters',
    fields,
    submit: 'Filteren',
    done: '',
    onSubmit: async (body) => {
      const next = new URLSearchParams();
      for (const key of ['status', 'law', 'interventionType', 'regisseur']) if (body[key]) next.set(key, String(body[key]));
      if (body['overdue']) next.set('overdueOn', today());
      go(`#/plannen?${next}`);
    },
  });
  const now = today();
  const rows = plans.items.map((plan) => {
    const late = plan.openActions.filter((a) => a.dueOn < now).length;
    return [
      h('a', { href: `#/plannen/${plan.planId}` }, plan.label),
      plan.householdReference ?? '—',
      h('span', { class: `status status-${plan.status}` }, statusLabel[plan.status] ?? plan.status),
      plan.laws.join(', '),
      plan.interventionTypes.join(', '),
      plan.regisseur?.professionalId ?? plan.regisseur?.role ?? '—',
      date(plan.submittedOn),
      plan.leadTimeDays === null || plan.leadTimeDays === undefined ? '—' : `${plan.leadTimeDays} d`,
      late ? h('strong', { class: 'late' }, `${late} over tijd`) : String(plan.openActions.length),
      h('span', { class: 'num' }, euro(plan.totals?.doorbraak)),
    ];
  });
  return {
    title: 'Plannen',
    content: h(
      'div',
      null,
      can('case:write') ? h('p', null, h('a', { href: '#/nieuw-plan', class: 'button' }, 'Nieuw plan opstellen')) : null,
      h('details', { class: 'filters', open: filter.size > 0 }, h('summary', null, 'Filters'), filters),
      rows.length
        ? table(`${rows.length} plannen`, ['Plan', 'Huishouden', 'Status', 'Wetten', 'Interventies', 'Regisseur', 'Ingediend', 'Doorlooptijd', 'Open acties', 'Kosten doorbraak'], rows, { class: 'plans' })
        : h('p', null, 'Geen plannen met deze filters.'),
    ),
  };
}
