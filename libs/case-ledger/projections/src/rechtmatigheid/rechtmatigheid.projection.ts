import { type BudgetEvent, type MandateEvent, type PlanEvent, isErased } from '@doorbraak/domain';
import { type JsonObject, type Projection, type RecordedEvent, defineProjection } from '@doorbraak/event-store';
import { eventRef, ledgerEvent } from '../shared/ledger-event';

const planTypes = ['PlanDrafted', 'DoorbraakDefined', 'LegitimiteitRecorded', 'BetrokkenheidRecorded', 'WegingRecorded', 'CostLineAdded', 'PlanSubmittedForDecision', 'PlanDecided', 'PlanClosed', 'PlanReplaced', 'SituatieschetsRecorded', 'ToekomstperspectiefRecorded', 'OverzichtRecorded', 'VangnetRecorded', 'CostLineCorrected', 'CostLineWithdrawn'];
const correctionTypes = new Set(['SituatieschetsRecorded', 'ToekomstperspectiefRecorded', 'OverzichtRecorded', 'VangnetRecorded', 'LegitimiteitRecorded', 'BetrokkenheidRecorded', 'WegingRecorded', 'CostLineCorrected', 'CostLineWithdrawn']);

const mandateKey = (tenant: string, id: string) => `mandate:${tenant}:${id}`;

/**
 * Whether the free text `field` of a personal part was written, without keeping it: the rows hold no free text.
 * An erased part was written (the schema required it), so erasure changes no finding.
 */
function written(personal: unknown, field: string): boolean {
  if (isErased(personal)) return true;
  const value = (personal as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' && value.trim() !== '';
}

function keysOf(e: RecordedEvent): string[] {
  switch (e.category) {
    case 'plan':
      return e.type === 'PlanDecided' ? [`plan:${e.data['planId']}`, `decision:${e.data['decisionId']}`] : [`plan:${e.data['planId']}`];
    case 'mandates':
      return [mandateKey(e.metadata.tenant, e.data['mandateId'] as string)];
    default:
      return e.type === 'BudgetOpened' || e.type === 'BudgetAdjusted' ? [`budget:${e.data['budgetId']}`] : [`spend:${e.data['spendId']}`];
  }
}

function correctionReasoned(event: PlanEvent): boolean {
  const personal = (event.data as { personal?: { correction?: unknown } }).personal;
  return event.type.startsWith('CostLine') ? written(personal, 'reason') : isErased(personal) || written(personal?.correction, 'reason');
}

function plan(row: JsonObject | null, event: PlanEvent, e: RecordedEvent): JsonObject | null {
  if (event.type === 'PlanDrafted') return { kind: 'plan', tenant: e.metadata.tenant, planId: event.data.planId, householdId: event.data.householdId, doorbraken: {}, costLines: 0, decided: false, correctionsAfterDecision: [] };
  if (!row) return null;
  const doorbraken = row['doorbraken'] as Record<string, Record<string, boolean>>;
  const mark = (id: string, part: string): JsonObject => ({ ...row, doorbraken: { ...doorbraken, [id]: { ...doorbraken[id], [part]: true } } });
  const corrected: JsonObject = (row['decided'] as boolean) && correctionTypes.has(event.type) && (event.type.startsWith('CostLine') || (event.data as { correction?: unknown }).correction)
    ? { correctionsAfterDecision: [...(row['correctionsAfterDecision'] as JsonObject[]), { ...eventRef(e), actor: e.metadata.actor, reasoned: correctionReasoned(event) }] }
    : {};
  switch (event.type) {
    case 'DoorbraakDefined':
      return { ...row, doorbraken: { ...doorbraken, [event.data.doorbraakId]: {} } };
    case 'LegitimiteitRecorded':
      return { ...mark(event.data.doorbraakId, 'legitimiteit'), ...corrected };
    case 'BetrokkenheidRecorded':
      return { ...mark(event.data.doorbraakId, 'betrokkenheid'), ...corrected };
    case 'WegingRecorded':
      return { ...mark(event.data.doorbraakId, 'weging'), ...corrected };
    case 'CostLineAdded':
      return { ...row, costLines: (row['costLines'] as number) + 1 };
    case 'PlanSubmittedForDecision':
      return { ...row, submittedBy: event.data.submittedBy, submittedOn: event.data.submittedOn };
    case 'PlanDecided':
      return { ...row, decided: true, decisionId: event.data.decisionId };
    case 'PlanClosed':
      return { ...row, closedOn: event.data.closedOn };
    case 'PlanReplaced':
      return { ...row, closedOn: event.data.replacedOn };
    default:
      return { ...row, ...corrected };
  }
}

/**
 * The facts an accountant tests, as rows per plan, decision (with the mandate as it stood), mandate, budget
 * and spend (with its payments and reversals), each with the events behind it. The rules of
 * `rechtmatigheid.rules.ts` are evaluated over these rows.
 */
export const rechtmatigheidProjection = defineProjection<JsonObject>({
  name: 'rechtmatigheid',
  version: 2,
  personalData: false,
  filter: { categories: ['plan', 'budget', 'mandates'], types: [...planTypes, 'BudgetOpened', 'BudgetAdjusted', 'SpendCommitted', 'SpendPaid', 'SpendReversed', 'MandateGranted', 'MandateRevoked'] },
  keysOf,
  lookups: (e) => (e.type === 'PlanDecided' ? [mandateKey(e.metadata.tenant, e.data['mandateId'] as string), `plan:${e.data['planId']}`] : []),
  evolve(row, e, key, lookup): JsonObject | null {
    const event = ledgerEvent(e);
    const ref = eventRef(e);
    if (key.startsWith('mandate:')) {
      const m = event as MandateEvent;
      return m.type === 'MandateGranted' ? { kind: 'mandate', tenant: e.metadata.tenant, ...m.data, events: [ref] } : row && { ...row, revokedOn: m.data.revokedOn, events: [...(row['events'] as JsonObject[]), ref] };
    }
    if (key.startsWith('decision:') && event.type === 'PlanDecided') {
      const { personal, ...d } = event.data;
      return {
        kind: 'decision',
        tenant: e.metadata.tenant,
        ...d,
        motivated: written(personal, 'motivation'),
        boekjaar: Number(d.decidedOn.slice(0, 4)),
        recordedAt: e.recordedAt.toISOString(),
        actor: e.metadata.actor,
        mandate: lookup(mandateKey(e.metadata.tenant, d.mandateId)),
        plan: lookup(`plan:${d.planId}`),
        events: [ref],
      } as unknown as JsonObject;
    }
    if (key.startsWith('plan:')) return plan(row, event as PlanEvent, e);
    const b = event as BudgetEvent;
    switch (b.type) {
      case 'BudgetOpened':
        return { kind: 'budget', tenant: e.metadata.tenant, ...b.data, events: [ref] } as unknown as JsonObject;
      case 'BudgetAdjusted':
        return row && { ...row, authorisedAmount: b.data.newAuthorisedAmount, events: [...(row['events'] as JsonObject[]), ref] };
      case 'SpendCommitted': {
        const { kind: giftOrLoan, personal: _p, ...spend } = b.data;
        return { kind: 'spend', tenant: e.metadata.tenant, ...spend, giftOrLoan, committer: e.metadata.actor, recordedAt: e.recordedAt.toISOString(), payments: [], reversals: [], events: [ref] } as unknown as JsonObject;
      }
      case 'SpendPaid':
      case 'SpendReversed': {
        if (!row) return null;
        const list = b.type === 'SpendPaid' ? 'payments' : 'reversals';
        const { budgetId: _b, spendId: _s, personal: _p, ...rest } = b.data as typeof b.data & { personal?: unknown };
        return { ...row, [list]: [...(row[list] as JsonObject[]), { ...rest, actor: e.metadata.actor, recordedAt: e.recordedAt.toISOString(), ref }], events: [...(row['events'] as JsonObject[]), ref] } as JsonObject;
      }
      default:
        return row;
    }
  },
  columns: ["kind text GENERATED ALWAYS AS (doc->>'kind') STORED", "tenant text GENERATED ALWAYS AS (doc->>'tenant') STORED"],
  indexes: [['tenant', 'kind']],
}) as Projection;
