import { type BudgetEvent, type PlanEvent, lineAmount, toCostLine } from '@doorbraak/domain';
import { type JsonObject, type Projection, type RecordedEvent, defineProjection } from '@doorbraak/event-store';
import { Money } from '@doorbraak/kernel';
import { eventRef, ledgerEvent } from '../shared/ledger-event';

const planTypes = ['PlanDrafted', 'DoorbraakDefined', 'CostLineAdded', 'CostLineCorrected', 'CostLineWithdrawn', 'PlanSubmittedForDecision', 'PlanDecided', 'PlanExecutionStarted', 'PlanClosed', 'PlanReplaced'];
const budgetTypes = ['BudgetOpened', 'BudgetAdjusted', 'SpendCommitted', 'SpendPaid', 'SpendReversed'];

type Line = { costLineId: string; doorbraakId: string | null; law: string; huidig: string; dreigend: string; doorbraak: string; events: JsonObject[] };

function keysOf(e: RecordedEvent): string[] {
  if (e.category === 'plan') return [`planned:${e.data['planId']}`];
  if (e.type === 'BudgetOpened' || e.type === 'BudgetAdjusted') return [`budget:${e.data['budgetId']}`];
  return [`spend:${e.data['spendId']}`];
}

function planned(row: JsonObject | null, event: PlanEvent, e: RecordedEvent): JsonObject | null {
  if (event.type === 'PlanDrafted') {
    return { kind: 'planned', tenant: e.metadata.tenant, planId: event.data.planId, status: 'draft', boekjaar: Number(event.data.draftedOn.slice(0, 4)), month: event.data.draftedOn.slice(0, 7), doorbraken: {}, lines: [] };
  }
  if (!row) return null;
  const lines = row['lines'] as Line[];
  const ref = eventRef(e);
  switch (event.type) {
    case 'DoorbraakDefined':
      return { ...row, doorbraken: { ...(row['doorbraken'] as JsonObject), [event.data.doorbraakId]: event.data.interventionType } };
    case 'CostLineAdded':
    case 'CostLineCorrected': {
      const line = toCostLine(event.data);
      const next: Line = {
        costLineId: line.costLineId,
        doorbraakId: line.doorbraakId ?? null,
        law: line.fundingSource,
        huidig: lineAmount(line, 'huidig').toString(),
        dreigend: lineAmount(line, 'dreigend').toString(),
        doorbraak: lineAmount(line, 'doorbraak').toString(),
        events: [...(lines.find((l) => l.costLineId === line.costLineId)?.events ?? []), ref],
      };
      return { ...row, lines: [...lines.filter((l) => l.costLineId !== line.costLineId), next] as unknown as JsonObject[] };
    }
    case 'CostLineWithdrawn':
      return { ...row, lines: lines.filter((l) => l.costLineId !== event.data.costLineId) as unknown as JsonObject[] };
    case 'PlanSubmittedForDecision':
      return { ...row, status: 'submitted' };
    case 'PlanDecided':
      return { ...row, status: event.data.outcome === 'rejected' ? 'rejected' : 'approved', decisionId: event.data.decisionId };
    case 'PlanExecutionStarted':
      return { ...row, status: 'in_execution' };
    case 'PlanClosed':
    case 'PlanReplaced':
      return { ...row, status: event.type === 'PlanClosed' ? 'closed' : 'replaced' };
    default:
      return row;
  }
}

function actual(row: JsonObject | null, event: BudgetEvent, e: RecordedEvent, lookup: (key: string) => JsonObject | null): JsonObject | null {
  const ref = eventRef(e);
  switch (event.type) {
    case 'BudgetOpened':
      return { kind: 'budget', tenant: e.metadata.tenant, ...event.data } as unknown as JsonObject;
    case 'BudgetAdjusted':
      return row && { ...row, authorisedAmount: event.data.newAuthorisedAmount };
    case 'SpendCommitted': {
      const budget = lookup(`budget:${event.data.budgetId}`);
      const plan = lookup(`planned:${event.data.planId}`);
      return {
        kind: 'spend',
        tenant: e.metadata.tenant,
        spendId: event.data.spendId,
        planId: event.data.planId,
        budgetId: event.data.budgetId,
        law: (budget?.['fundingSource'] as string) ?? null,
        iv3Taakveld: (budget?.['iv3Taakveld'] as string) ?? null,
        boekjaar: (budget?.['boekjaar'] as number) ?? null,
        month: event.data.committedOn.slice(0, 7),
        interventionType: ((plan?.['doorbraken'] as JsonObject | undefined)?.[event.data.doorbraakId] as string) ?? null,
        payee: event.data.payee.organisation,
        committed: event.data.amount,
        paid: '0',
        reversed: '0',
        events: [ref],
      };
    }
    case 'SpendPaid':
    case 'SpendReversed': {
      if (!row) return null;
      const field = event.type === 'SpendPaid' ? 'paid' : 'reversed';
      return { ...row, [field]: Money.parse(row[field] as string).plus(Money.parse(event.data.amount)).toString(), events: [...(row['events'] as JsonObject[]), ref] };
    }
  }
}

/**
 * Planned and actual money per funding law: a row per plan with its cost lines as exact amounts per scenario
 * (`planned:<planId>`), a row per spend with what was committed, paid and reversed (`spend:<spendId>`) and a row
 * per budget (`budget:<id>`). Every line and spend keeps the events behind it. The tables group these in SQL.
 */
export const costPerLawProjection = defineProjection<JsonObject>({
  name: 'cost_per_law',
  version: 1,
  personalData: false,
  filter: { categories: ['plan', 'budget'], types: [...planTypes, ...budgetTypes] },
  keysOf,
  lookups: (e) => (e.type === 'SpendCommitted' ? [`budget:${e.data['budgetId']}`, `planned:${e.data['planId']}`] : []),
  evolve(row, e, _key, lookup): JsonObject | null {
    const event = ledgerEvent(e);
    return e.category === 'plan' ? planned(row, event as PlanEvent, e) : actual(row, event as BudgetEvent, e, lookup);
  },
  columns: ["kind text GENERATED ALWAYS AS (doc->>'kind') STORED", "tenant text GENERATED ALWAYS AS (doc->>'tenant') STORED"],
  indexes: [['tenant', 'kind']],
}) as Projection;
