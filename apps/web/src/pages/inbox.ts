import { api, ApiProblem } from '../api.js';
import { facts, h, table } from '../dom.js';
import { form, options } from '../forms.js';
import { date, euro, freeText, nameOf, outcomeLabel, roleLabel, statusLabel, today } from '../format.js';
import { go, type Page, type Route } from '../page.js';
import type { PlanView } from '../plan-view.js';
import { claims, decisionRoles } from '../session.js';
import { costSection, legitimiteitSection } from './plan.js';
import type { PlanRow } from './plans.js';

interface Mandate {
  readonly mandateId: string;
  readonly role: string;
  readonly onBehalfOf: string;
  readonly decisionKinds: readonly string[];
  readonly fundingSources: readonly string[];
  readonly maxPerSpend: string;
  readonly maxPerPlan: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly revokedOn?: string;
}

interface Comparable {
  readonly planId: string;
  readonly doorbraak: string;
  readonly decidedOn: string;
  readonly outcome: string;
  readonly decisionMaker: { role: string };
  readonly legalBasis: readonly string[];
  /** The motivation and conditions, unless withheld or erased. */
  readonly personal?: Record<string, unknown>;
}

const myDecisionRoles = () => decisionRoles.filter((role) => claims()?.roles.includes(role));

/** Plans that wait for a decision: submitted, or escalated to a decision maker. */
export async function inboxPage(): Promise<Page> {
  const [submitted, escalated] = await Promise.all(['submitted', 'escalated'].map((status) => api<{ items: PlanRow[] }>('GET', `/v1/plans?status=${status}`)));
  const waiting = [...submitted!.items, ...escalated!.items];
  return {
    title: 'Beslissingen',
    content: waiting.length
      ? table(
          waiting.length === 1 ? '1 plan wacht op een besluit' : `${waiting.length} plannen wachten op een besluit`,
          ['Plan', 'Status', 'Ingediend', 'Wetten', 'Kosten doorbraak', 'Reële baten'],
          waiting.map((p) => [
            h('a', { href: `#/beslissingen/${p.planId}` }, p.label),
            statusLabel[p.status] ?? p.status,
            date(p.submittedOn),
            p.laws.join(', '),
            h('span', { class: 'num' }, euro(p.totals?.doorbraak)),
            h('span', { class: 'num' }, euro(p.totals?.realBenefit)),
          ]),
        )
      : h('p', null, 'Er wachten geen plannen op een besluit.'),
  };
}

function inForce(mandate: Mandate, on: string): boolean {
  return mandate.validFrom <= on && (!mandate.validUntil || on <= mandate.validUntil) && (!mandate.revokedOn || on < mandate.revokedOn);
}

/** A decimal string compared with another, exactly (both are amounts with at most two decimals). */
function atMost(amount: string, limit: string): boolean {
  const cents = (value: string) => {
    const [whole = '0', fraction = ''] = value.split('.');
    return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  };
  return cents(amount) <= cents(limit);
}

async function comparableFor(citations: readonly string[], planId: string): Promise<HTMLElement> {
  const answers = await Promise.all(citations.map((citation) => api<{ items: Comparable[] }>('GET', `/v1/comparable-exceptions?citation=${encodeURIComponent(citation)}`)));
  return h(
    'div',
    null,
    citations.map((citation, i) => {
      const earlier = answers[i]!.items.filter((c) => c.planId !== planId);
      return earlier.length
        ? table(
            `Eerdere uitzonderingen op ${citation}`,
            ['Doorbraak', 'Besluit', 'Door', 'Grondslag', 'Motivering'],
            earlier.map((c) => [c.doorbraak, `${outcomeLabel[c.outcome] ?? c.outcome} (${date(c.decidedOn)})`, roleLabel[c.decisionMaker.role] ?? c.decisionMaker.role, c.legalBasis.join('; '), freeText(c, 'motivation')]),
          )
        : h('p', null, `Geen eerdere uitzonderingen op ${citation}.`);
    }),
  );
}

/** What is asked, on which grounds, at what cost, earlier comparable exceptions, the mandate; and the decision. */
export async function decisionPage({ params: [planId] }: Route): Promise<Page> {
  const [plan, register] = await Promise.all([api<PlanView>('GET', `/v1/plans/${planId}`), api<{ items: Mandate[] }>('GET', '/v1/mandates')]);
  const requested = plan.submission?.requestedAmount ?? plan.rendement.exact.doorbraak;
  const roles = myDecisionRoles();
  const day = today();
  const mine = register.items.filter((m) => roles.includes(m.role as (typeof roles)[number]) && inForce(m, day) && m.decisionKinds.includes('doorbraak'));
  const laws = [...new Set(plan.doorbraken.flatMap((d) => d.legitimiteit?.current.rules.map((r) => r.law) ?? []))];
  const citations = [...new Set(plan.doorbraken.flatMap((d) => d.legitimiteit?.current.rules.map((r) => r.citation) ?? []))];
  const grounds = [...new Set(plan.doorbraken.flatMap((d) => d.legitimiteit?.current.exceptionGrounds.filter((g) => g.applies).map((g) => g.citation) ?? []))];
  const covered = (m: Mandate) => atMost(requested, m.maxPerPlan);
  const awaiting = ['submitted', 'escalated'].includes(plan.status);
  const escalatedTo = plan.escalations.at(-1)?.to;

  const decisionForm = form({
    id: 'decision',
    fields: [
      { kind: 'select', name: 'outcome', label: 'Besluit', options: options(['approved', 'approved_with_conditions', 'rejected'], outcomeLabel) },
      { kind: 'lines', name: 'conditions', label: 'Voorwaarden', hint: 'Eén voorwaarde per regel; alleen bij goedkeuren met voorwaarden.' },
      { kind: 'textarea', name: 'motivation', label: 'Motivering' },
      { kind: 'lines', name: 'legalBasis', label: 'Grondslag', hint: 'Eén vindplaats per regel.', value: grounds },
      { kind: 'amount', name: 'approvedAmount', label: 'Goedgekeurd bedrag in euro', hint: 'Bij afwijzen: 0.', value: requested },
      { kind: 'date', name: 'decidedOn', label: 'Datum van het besluit', value: day },
      { kind: 'select', name: 'decisionMaker.role', label: 'U besluit als', options: options(roles, roleLabel), value: roles.at(-1) },
      { kind: 'select', name: 'mandateId', label: 'Onder mandaat', options: mine.map((m) => [m.mandateId, `${roleLabel[m.role] ?? m.role}: tot ${euro(m.maxPerPlan)} per plan, namens ${m.onBehalfOf}`] as const), value: (mine.find(covered) ?? mine[0])?.mandateId },
    ],
    submit: 'Besluit vastleggen',
    onSubmit: async (body) => {
      const mandate = register.items.find((m) => m.mandateId === body['mandateId']);
      const decisionMaker = { ...(body['decisionMaker'] as object), actorId: claims()!.sub };
      const decision = { ...body, decisionMaker, onBehalfOf: mandate?.onBehalfOf, doorbraakIds: plan.doorbraken.map((d) => d.doorbraakId) };
      try {
        await api('POST', `/v1/plans/${plan.planId}/decisions`, decision);
      } catch (error) {
        if (error instanceof ApiProblem && error.code === 'DECISION.BEYOND_MANDATE') {
          throw new ApiProblem(error.status, `${error.title}. Escaleer het plan naar ${String(error.extra['requiredAuthority'] ?? 'het college')}.`, error.code, error.errors, error.extra);
        }
        throw error;
      }
      go(`#/plannen/${plan.planId}`, 'Het besluit is vastgelegd.');
    },
  });

  const escalationForm = form({
    id: 'escalation',
    fields: [
      { kind: 'select', name: 'to', label: 'Escaleren naar', options: options(['teamleider', 'directeur', 'wethouder', 'college'], roleLabel) },
      { kind: 'textarea', name: 'reason', label: 'Waarom' },
      { kind: 'date', name: 'escalatedOn', label: 'Datum', value: day },
    ],
    submit: 'Escaleren',
    onSubmit: async (body) => {
      await api('POST', `/v1/plans/${plan.planId}/escalations`, { ...body, from: roles.at(-1) ?? claims()!.roles[0] });
      go(`#/beslissingen/${plan.planId}`, 'Het plan is geëscaleerd.');
    },
  });

  return {
    title: `Besluit: ${nameOf(plan)}`,
    content: h(
      'div',
      null,
      h('section', { 'aria-labelledby': 'gevraagd' }, h('h2', { id: 'gevraagd' }, 'Wat wordt gevraagd'), facts([
        ['Status', statusLabel[plan.status] ?? plan.status],
        ['Doorbraken', h('ul', null, plan.doorbraken.map((d) => h('li', null, nameOf(d))))],
        ['Gevraagd bedrag', euro(requested)],
        ['Ingediend', plan.submission ? `${date(plan.submittedOn)} door ${plan.submission.submittedBy}` : undefined],
        ['Geëscaleerd naar', escalatedTo ? `${escalatedTo}: ${freeText(plan.escalations.at(-1), 'reason')}` : undefined],
      ]), h('p', null, h('a', { href: `#/plannen/${plan.planId}` }, 'Het hele plan'))),
      h('section', { 'aria-labelledby': 'gronden' }, h('h2', { id: 'gronden' }, 'Op welke gronden'), plan.doorbraken.map((d) => h('div', { class: 'card' }, h('h3', null, nameOf(d)), legitimiteitSection(d)))),
      h('section', { 'aria-labelledby': 'kosten' }, h('h2', { id: 'kosten' }, 'Tegen welke kosten'), costSection(plan)),
      h('section', { 'aria-labelledby': 'vergelijkbaar' }, h('h2', { id: 'vergelijkbaar' }, 'Vergelijkbare eerdere uitzonderingen'), await comparableFor(citations, plan.planId)),
      h(
        'section',
        { 'aria-labelledby': 'mandaat' },
        h('h2', { id: 'mandaat' }, 'Mandaat'),
        mine.length
          ? table(
              'Uw mandaten die nu gelden',
              ['Rol', 'Namens', 'Wetten en budgetten', 'Per plan', 'Dekt het gevraagde bedrag'],
              mine.map((m) => [roleLabel[m.role] ?? m.role, m.onBehalfOf, m.fundingSources.join(', '), euro(m.maxPerPlan), covered(m) ? 'ja' : h('strong', null, 'nee: escaleren')]),
            )
          : h('p', null, 'U heeft geen mandaat dat nu geldt.'),
        h('p', null, `Wetten van de blokkerende regels: ${laws.join(', ') || '—'}. Regels van andere organen (UWV, zorgverzekeraar) beslist dat orgaan zelf.`),
      ),
      awaiting
        ? h('section', { 'aria-labelledby': 'besluiten' }, h('h2', { id: 'besluiten' }, 'Besluiten'), decisionForm, h('h3', null, 'Of escaleren'), escalationForm)
        : h('p', null, 'Dit plan wacht niet (meer) op een besluit.'),
    ),
  };
}
