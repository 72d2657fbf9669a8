import { type BudgetSummary, budgetLabel } from './budget.js';
import { api, ApiProblem } from '../api.js';
import { barChart, toNumber } from '../chart.js';
import { facts, h, table } from '../dom.js';
import { form } from '../forms.js';
import { date, euro, freeText, nameOf, narrative, outcomeLabel, roleLabel, scenarioLabel, scenarios, statusLabel, today } from '../format.js';
import { go, type Page, type Route } from '../page.js';
import type { Doorbraak, PlanView } from '../plan-view.js';
import { can } from '../session.js';

const list = (items: readonly string[] | undefined) => (items?.length ? h('ul', null, items.map((item) => h('li', null, item))) : h('p', null, '—'));
const text = (personal: unknown, key: string) => narrative(personal, (p) => p[key] as string | undefined);
const lines = (personal: unknown, key: string) => {
  const value = (personal ?? {}) as Record<string, unknown>;
  return Array.isArray(value[key]) ? list(value[key] as string[]) : h('p', null, text(personal, key));
};

function goalsOf(personal: Record<string, unknown>): HTMLElement {
  const goals = personal['goals'] as { term: string; text: string }[] | undefined;
  return goals ? list(goals.map((g) => `${g.term === 'short' ? 'Korte termijn' : 'Lange termijn'}: ${g.text}`)) : h('p', null, narrative(personal, () => undefined));
}

/** Legitimiteit of a doorbraak: the blocking rules and their purpose, exception grounds, other rules, who decides. */
export function legitimiteitSection(doorbraak: Doorbraak, level: 'h3' | 'h4' = 'h4'): HTMLElement {
  const legitimiteit = doorbraak.legitimiteit?.current;
  if (!legitimiteit) return h('p', null, 'Legitimiteit is nog niet vastgelegd.');
  return h(
    'div',
    { class: 'legitimiteit' },
    h(level, null, 'Legitimiteit'),
    table(
      'Blokkerende regels',
      ['Regel', 'Soort bron', 'Wet', 'Tekst', 'Bedoeling'],
      legitimiteit.rules.map((r) => [r.citation, r.sourceKind, r.law, freeText(r, 'quotedText'), freeText(r, 'purpose')]),
    ),
    legitimiteit.exceptionGrounds.length
      ? table(
          'Uitzonderingsgronden',
          ['Grond', 'Omschrijving', 'Van toepassing', 'Toelichting'],
          legitimiteit.exceptionGrounds.map((g) => [g.citation, freeText(g, 'description'), g.applies ? 'ja' : 'nee', freeText(g, 'explanation')]),
        )
      : h('p', null, 'Geen uitzonderingsgrond: escalatie is nodig.'),
    legitimiteit.otherRules.length
      ? table('Andere regels', ['Regel', 'Bedoeling', 'Steunt de uitzondering'], legitimiteit.otherRules.map((r) => [r.citation, freeText(r, 'purpose'), r.supportsException ? 'ja' : 'nee']))
      : null,
    facts([['Wie gaat erover', `${legitimiteit.decidingAuthority.body} (${legitimiteit.decidingAuthority.role})`]]),
  );
}

/** The cost table over the three scenarios, direct costs and real benefit, per line and per funding source, with a chart. */
export function costSection(plan: PlanView): HTMLElement {
  const r = plan.rendement;
  const lines = r.costLines.filter((l) => !l.withdrawn);
  const sources = Object.entries(r.byFundingSource);
  return h(
    'div',
    { class: 'costs' },
    facts([
      ['Periode', r.periodMonths ? `${r.periodMonths} maanden` : '12 maanden (standaard)'],
      ['Directe kosten (doorbraak − huidig)', euro(r.exact.directCosts)],
      ['Reële baten (dreigend − doorbraak)', euro(r.exact.realBenefit)],
    ]),
    table(
      'Kostenregels per scenario',
      ['Omschrijving', 'Eenheid', 'Prijs', 'Huidig', 'Dreigend', 'Doorbraak', 'Wet of budget', 'Prijsbron'],
      [
        ...lines.map((l) => [
          freeText(l, 'description'),
          l.unit ?? '—',
          h('span', { class: 'num' }, euro(l.unitPrice)),
          h('span', { class: 'num' }, l.quantities.huidig),
          h('span', { class: 'num' }, l.quantities.dreigend),
          h('span', { class: 'num' }, l.quantities.doorbraak),
          l.fundingSource,
          l.personal?.['priceListVersion'] ? `${freeText(l, 'priceSource')} ${freeText(l, 'priceListVersion')}` : freeText(l, 'priceSource'),
        ]),
        [h('strong', null, 'Totaal'), '', '', ...scenarios.map((s) => h('strong', { class: 'num' }, euro(r.exact[s]))), '', `afgerond: ${scenarios.map((s) => euro(r.printed[s])).join(' / ')}`],
      ],
      { class: 'cost-lines' },
    ),
    barChart({
      id: `rendement-${plan.planId}`,
      title: 'Kosten per scenario en per wet',
      description: `Huidig ${euro(r.exact.huidig)}, dreigend ${euro(r.exact.dreigend)}, doorbraak ${euro(r.exact.doorbraak)}.`,
      categories: ['Totaal', ...sources.map(([law]) => law)],
      series: scenarios.map((s, i) => ({ name: scenarioLabel[s], className: `series-${i + 1}`, values: [toNumber(r.exact[s]), ...sources.map(([, a]) => toNumber(a[s]))] })),
      format: (n) => euro(n.toFixed(0)),
    }),
    table(
      'Per wet of budget',
      ['Wet of budget', 'Huidig', 'Dreigend', 'Doorbraak', 'Directe kosten', 'Reële baten'],
      sources.map(([law, a]) => [law, ...[a.huidig, a.dreigend, a.doorbraak, a.directCosts, a.realBenefit].map((v) => h('span', { class: 'num' }, euro(v)))]),
    ),
    r.endorsements.length ? h('p', null, `Dreigend scenario onderschreven door: ${r.endorsements.map((e) => `${e.role} (${freeText(e, 'organisation')})`).join(', ')}.`) : null,
  );
}

function actionsSection(plan: PlanView): HTMLElement {
  const now = today();
  const due = (a: PlanView['actions'][number]) =>
    a.completedOn ? `afgerond ${date(a.completedOn)}` : a.dueOn < now ? h('strong', { class: 'late' }, `over tijd (${date(a.dueOn)})`) : `uiterlijk ${date(a.dueOn)}`;
  return h(
    'div',
    null,
    plan.actions.length
      ? table(
          'Acties',
          ['Actie', 'Wie', 'Fase', 'Wanneer'],
          plan.actions.map((a) => [freeText(a, 'description'), a.owner.professionalId ? `${a.owner.role} (${a.owner.professionalId})` : a.owner.role, a.phase === 'before' ? 'voor de doorbraak' : 'na de doorbraak', due(a)]),
        )
      : h('p', null, 'Nog geen acties gepland.'),
    h('h3', null, 'Vangnet'),
    h('p', null, plan.steps.vangnet ? text(plan.steps.vangnet.current.personal, 'text') : '—'),
    h('h3', null, 'Evaluaties'),
    plan.evaluations.length
      ? table(
          'Evaluatiemomenten',
          ['Datum', 'Indicatoren', 'Uitkomst'],
          plan.evaluations.map((e) => [date(e.dueOn), e.indicators.map((i) => `${freeText(i, 'name')} (${freeText(i, 'stakeholder')})`).join('; '), e.result ? `${outcomeLabel[e.result.outcome] ?? e.result.outcome} (${date(e.result.evaluatedOn)})` : 'nog niet geëvalueerd'])
        )
      : h('p', null, 'Nog geen evaluaties gepland.'),
  );
}

function decisionSection(plan: PlanView): HTMLElement {
  const d = plan.decision;
  return h(
    'div',
    null,
    plan.submission ? facts([['Ingediend', `${date(plan.submittedOn)} door ${plan.submission.submittedBy}`], ['Gevraagd bedrag', euro(plan.submission.requestedAmount)]]) : h('p', null, 'Nog niet ingediend.'),
    plan.escalations.length ? table('Escalaties', ['Datum', 'Van', 'Naar', 'Reden'], plan.escalations.map((e) => [date(e.escalatedOn), e.from, e.to, freeText(e, 'reason')])) : null,
    d
      ? facts([
          ['Besluit', outcomeLabel[d.outcome] ?? d.outcome],
          ['Datum', date(d.decidedOn)],
          ['Besluitnemer', `${d.decisionMaker.actorId} (${roleLabel[d.decisionMaker.role] ?? d.decisionMaker.role})`],
          ['Namens', d.onBehalfOf],
          ['Mandaat', d.mandateId],
          ['Grondslag', d.legalBasis.join('; ')],
          ['Motivering', freeText(d, 'motivation')],
          ['Voorwaarden', lines(d.personal, 'conditions')],
          ['Goedgekeurd bedrag', euro(d.approvedAmount)],
        ])
      : null,
  );
}

/** Booking a spend on one of the municipality's budgets under the plan's approving decision. */
function spendForm(plan: PlanView, budgets: readonly BudgetSummary[]): HTMLElement {
  const decision = plan.decision!;
  const titles = new Map(plan.doorbraken.map((d) => [d.doorbraakId, nameOf(d)]));
  return form({
    id: 'spend',
    intro: h('p', null, `Onder het besluit van ${date(decision.decidedOn)} (${euro(decision.approvedAmount)} goedgekeurd).`),
    fields: [
      { kind: 'select', name: 'budgetId', label: 'Begroting', options: budgets.map((b) => [b.budgetId, budgetLabel(b)] as const), value: budgets[0]?.budgetId },
      { kind: 'select', name: 'doorbraakId', label: 'Doorbraak', options: decision.doorbraakIds.map((id) => [id, titles.get(id) ?? id] as const), value: decision.doorbraakIds[0] },
      { kind: 'amount', name: 'amount', label: 'Bedrag in euro', hint: 'Bijvoorbeeld 1052,32.' },
      { kind: 'text', name: 'payee.organisation', label: 'Betalen aan (organisatie)' },
      { kind: 'select', name: 'kind', label: 'Soort', options: [['gift', 'Schenking'], ['loan', 'Lening']], value: 'gift' },
      { kind: 'select', name: 'recurrence', label: 'Eenmalig of terugkerend', options: [['one-off', 'Eenmalig'], ['recurring', 'Terugkerend']], value: 'one-off' },
      { kind: 'checkbox', name: 'primaryProvision.checked', label: 'Voorliggende voorziening nagegaan', value: true },
      { kind: 'textarea', name: 'primaryProvision.why', label: 'Waarom de voorliggende voorziening niet volstaat' },
      { kind: 'date', name: 'committedOn', label: 'Datum verplichting', value: today() },
    ],
    submit: 'Uitgave boeken',
    onSubmit: async ({ budgetId, ...spend }) => {
      if (!budgetId) throw new ApiProblem(400, 'kies een begroting', undefined, [{ pointer: '#/budgetId', detail: 'required' }], {});
      await api('POST', `/v1/budgets/${encodeURIComponent(String(budgetId))}/spends`, { ...spend, planId: plan.planId, decisionId: decision.decisionId });
      go(`#/begrotingen/${budgetId}`);
    },
  });
}

function section(id: string, title: string, ...content: (Node | null)[]): HTMLElement {
  return h('section', { 'aria-labelledby': id, class: 'step' }, h('h2', { id }, title), ...content);
}

/** One plan: the six steps, the cost table, the action plan with what is due, evaluations and the decision. */
export async function planPage({ params: [planId] }: Route): Promise<Page> {
  const plan = await api<PlanView>('GET', `/v1/plans/${planId}`);
  const s = plan.steps;
  const decided = plan.decision && plan.decision.outcome !== 'rejected' && ['approved', 'in_execution'].includes(plan.status);
  const editable = can('case:write') && !['closed', 'replaced', 'rejected'].includes(plan.status);
  return {
    title: nameOf(plan),
    content: h(
      'div',
      null,
      facts([
        ['Status', h('span', { class: `status status-${plan.status}` }, statusLabel[plan.status] ?? plan.status)],
        ['Versie', String(plan.planVersion)],
        ['Opgesteld', date(plan.draftedOn)],
        ['Doorlooptijd tot besluit', plan.leadTimeDays === null ? '—' : `${plan.leadTimeDays} dagen`],
      ]),
      h(
        'ul',
        { class: 'actions' },
        editable ? h('li', null, h('a', { class: 'button', href: `#/plannen/${plan.planId}/bewerken` }, plan.status === 'draft' ? 'Verder invullen' : 'Corrigeren of aanvullen')) : null,
        can('audit:read') ? h('li', null, h('a', { class: 'button secondary', href: `#/plannen/${plan.planId}/audit` }, 'Audit trail')) : null,
        can('plan:decide') && ['submitted', 'escalated'].includes(plan.status) ? h('li', null, h('a', { class: 'button', href: `#/beslissingen/${plan.planId}` }, 'Besluiten')) : null,
      ),
      section(
        'stap-1',
        '1. Situatieschets',
        h('p', null, s.situatieschets ? text(s.situatieschets.current.personal, 'narrative') : 'Nog niet vastgelegd.'),
        s.situatieschets?.current.involved.length ? h('p', null, `Betrokken: ${s.situatieschets.current.involved.map((i) => `${i.role} (${freeText(i, 'organisation')})`).join(', ')}`) : null,
      ),
      section(
        'stap-2',
        '2. Toekomstperspectief',
        s.toekomstperspectief
          ? h(
              'div',
              null,
              h('p', null, `Horizon: ${s.toekomstperspectief.current.horizonMonths} maanden`),
              goalsOf(s.toekomstperspectief.current.personal),
            )
          : h('p', null, 'Nog niet vastgelegd.'),
      ),
      section(
        'stap-3',
        '3. Overzicht',
        s.overzicht
          ? h('div', { class: 'columns' }, h('div', null, h('h3', null, 'A. Zelf'), lines(s.overzicht.current.personal, 'self')), h('div', null, h('h3', null, 'B. Ondersteunen'), lines(s.overzicht.current.personal, 'support')), h('div', null, h('h3', null, 'C. Oplossen of behandelen'), lines(s.overzicht.current.personal, 'solve')))
          : h('p', null, 'Nog niet vastgelegd.'),
      ),
      section(
        'stap-4',
        '4. Doorbraken en 5. waardendriehoek',
        plan.doorbraken.length
          ? h(
              'div',
              null,
              plan.doorbraken.map((d) =>
                h(
                  'article',
                  { class: 'doorbraak card' },
                  h('h3', null, nameOf(d)),
                  facts([['Soort interventie', d.interventionType], ['Doelgroep', d.targetGroup]]),
                  legitimiteitSection(d),
                  h('h4', null, 'Betrokkenheid'),
                  d.betrokkenheid ? h('div', null, h('p', null, text(d.betrokkenheid.current.personal, 'hypothesis')), lines(d.betrokkenheid.current.personal, 'agreements')) : h('p', null, 'Nog niet vastgelegd.'),
                  d.opinions.length ? list(d.opinions.map((o) => `${o.role} (${freeText(o, 'organisation')}): ${o.position === 'supports' ? 'steunt' : o.position === 'dissents' ? 'is het oneens' : 'neutraal'} — ${text(o.personal, 'motivation')}`)) : null,
                  h('h4', null, 'Rendement'),
                  h('p', null, 'Zie de kostentabel hieronder.'),
                  h('h4', null, 'Weging'),
                  h('p', null, d.weging ? text(d.weging.current.personal, 'text') : 'Nog niet vastgelegd.'),
                ),
              ),
            )
          : h('p', null, 'Nog geen doorbraak benoemd.'),
      ),
      section('rendement', 'Rendement: kosten en baten', costSection(plan)),
      section('stap-6', '6. Actieplan', actionsSection(plan)),
      section('besluit', 'Besluit', decisionSection(plan)),
      decided && can('spend:write') ? section('uitgave', 'Uitgave boeken', spendForm(plan, (await api<{ items: BudgetSummary[] }>('GET', '/v1/budgets')).items)) : null,
    ),
  };
}
