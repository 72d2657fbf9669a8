import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { type BudgetEvent, ERASED_PERSONAL, type LedgerEvent, type MandateEvent, isErased, parseLedgerEvent, streams, writtenData } from '@doorbraak/domain';
import type { EventStore } from '@doorbraak/event-store';
import { EVENT_STORE } from '../shared/command-context';
import { loadExisting, loadStream, plansOfHousehold, scanTenant } from '../shared/load-stream';
import type { HouseholdDocument, PlanDocument } from './household-document.schema';

/** A household with its plans, spends, and the mandates and budgets they use, in the import format. */
export class ExportHousehold extends Query<HouseholdDocument> {
  constructor(
    readonly householdId: string,
    readonly tenant: string,
  ) {
    super();
  }
}

/**
 * Rebuilds a plan document from its events: the current content of each step (corrections applied). Erased
 * narrative is exported as `{ personal: { erased: true } }` (such a document cannot be imported again).
 */
export function planDocumentFrom(events: readonly LedgerEvent[]): PlanDocument {
  const doc: Record<string, unknown> & { doorbraken: Record<string, unknown>[]; rendement: { periodMonths: number; endorsements: unknown[]; costLines: Record<string, unknown>[] } } = {
    doorbraken: [],
    rendement: { periodMonths: 12, endorsements: [], costLines: [] },
    spends: [],
  };
  const doorbraak = (id: string) => doc.doorbraken.find((d) => d['doorbraakId'] === id)!;
  const actions: Record<string, unknown>[] = [];
  const flow: Record<string, unknown> = { escalations: [] };
  const evaluations = { moments: [] as unknown[], recorded: [] as unknown[] };
  let vangnet: unknown;
  for (const event of events) {
    const type = event.type;
    const d = writtenData(event) as Record<string, unknown> & { planId: string };
    const { planId: _p, recordId: _r, correction: _c, ...rest } = d;
    switch (type) {
      case 'PlanDrafted':
        Object.assign(doc, { planId: d.planId, title: d['title'], draftedOn: d['draftedOn'], planVersion: d['planVersion'], ...(d['replacesPlanId'] ? { replacesPlanId: d['replacesPlanId'] } : {}) });
        break;
      case 'SituatieschetsRecorded':
        doc['situatieschets'] = rest;
        break;
      case 'ToekomstperspectiefRecorded': {
        if (isErased(rest['personal'])) {
          doc['toekomstperspectief'] = { horizonMonths: rest['horizonMonths'], personal: ERASED_PERSONAL };
          break;
        }
        const goals = (rest['personal'] as { goals: { term: string; member?: string; text: string }[] }).goals;
        doc['toekomstperspectief'] = { horizonMonths: rest['horizonMonths'], goals: goals.map(({ text, ...g }) => ({ ...g, personal: { text } })) };
        break;
      }
      case 'OverzichtRecorded': {
        if (isErased(rest['personal'])) {
          doc['overzicht'] = { personal: ERASED_PERSONAL };
          break;
        }
        const p = rest['personal'] as Record<'self' | 'support' | 'solve', string[]>;
        const wrap = (texts: string[]) => texts.map((text) => ({ personal: { text } }));
        doc['overzicht'] = { self: wrap(p.self), support: wrap(p.support), solve: wrap(p.solve) };
        break;
      }
      case 'DoorbraakDefined':
        doc.doorbraken.push({ ...rest });
        break;
      case 'LegitimiteitRecorded': {
        const { doorbraakId, ...legitimiteit } = rest;
        doorbraak(doorbraakId as string)['legitimiteit'] = legitimiteit;
        break;
      }
      case 'BetrokkenheidRecorded': {
        const target = doorbraak(rest['doorbraakId'] as string);
        target['betrokkenheid'] = { personal: rest['personal'], opinions: (target['betrokkenheid'] as { opinions?: unknown[] } | undefined)?.opinions ?? [] };
        break;
      }
      case 'ProfessionalOpinionRecorded': {
        const { doorbraakId, ...opinion } = rest;
        const target = doorbraak(doorbraakId as string);
        const current = (target['betrokkenheid'] as { personal?: unknown; opinions: unknown[] } | undefined) ?? { opinions: [] };
        target['betrokkenheid'] = { ...current, opinions: [...current.opinions, opinion] };
        break;
      }
      case 'WegingRecorded':
        doorbraak(rest['doorbraakId'] as string)['weging'] = { personal: rest['personal'] };
        break;
      case 'RendementPeriodSet':
        doc.rendement.periodMonths = rest['periodMonths'] as number;
        break;
      case 'CostLineAdded':
        doc.rendement.costLines.push(rest);
        break;
      case 'CostLineCorrected': {
        const { reason: _reason, ...line } = rest;
        doc.rendement.costLines = doc.rendement.costLines.map((l) => (l['costLineId'] === line['costLineId'] ? line : l));
        break;
      }
      case 'CostLineWithdrawn':
        doc.rendement.costLines = doc.rendement.costLines.filter((l) => l['costLineId'] !== rest['costLineId']);
        break;
      case 'DreigendScenarioEndorsed':
        doc.rendement.endorsements.push(rest);
        break;
      case 'ActionPlanned':
        actions.push(rest);
        break;
      case 'ActionCompleted':
        actions.find((a) => a['actionId'] === rest['actionId'])!['completedOn'] = rest['completedOn'];
        break;
      case 'VangnetRecorded':
        vangnet = { personal: rest['personal'] };
        break;
      case 'EvaluationScheduled':
        evaluations.moments.push(rest);
        break;
      case 'EvaluationRecorded':
        evaluations.recorded.push(rest);
        break;
      case 'PlanSubmittedForDecision':
        Object.assign(flow, rest);
        break;
      case 'PlanEscalated':
        (flow['escalations'] as unknown[]).push(rest);
        break;
      case 'PlanDecided': {
        const { mandateRegisterVersion: _v, ...decision } = rest;
        flow['decision'] = decision;
        break;
      }
      case 'PlanExecutionStarted':
        flow['executionStartedOn'] = rest['startedOn'];
        break;
      case 'PlanClosed':
        flow['closed'] = rest;
        break;
      default:
        break;
    }
  }
  if (actions.length || vangnet) doc['actieplan'] = { actions, ...(vangnet ? { vangnet } : {}) };
  if (evaluations.moments.length || evaluations.recorded.length) doc['evaluations'] = evaluations;
  if (flow['submittedOn']) doc['decisionFlow'] = flow;
  return doc as unknown as PlanDocument;
}

@QueryHandler(ExportHousehold)
export class ExportHouseholdHandler implements IQueryHandler<ExportHousehold, HouseholdDocument> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ householdId, tenant }: ExportHousehold): Promise<HouseholdDocument> {
    const household = await loadExisting(this.store, streams.household(householdId), tenant, 'household');
    const opened = household.events[0]!.data as Record<string, unknown>;
    const drafted = await plansOfHousehold(this.store, householdId, tenant);
    const plans: PlanDocument[] = [];
    for (const d of drafted) plans.push(planDocumentFrom((await loadStream(this.store, streams.plan(d.data['planId'] as string), tenant)).events));
    const planIds = new Set(plans.map((p) => p.planId));
    const spendEvents = (await scanTenant(this.store, ['budget'], ['SpendCommitted', 'SpendPaid'], tenant)).map((e) => parseLedgerEvent(e.type, e.schemaVersion, e.data) as BudgetEvent);
    const committed = spendEvents.filter((e): e is Extract<BudgetEvent, { type: 'SpendCommitted' }> => e.type === 'SpendCommitted' && planIds.has(e.data.planId));
    const budgetIds = new Set<string>();
    for (const event of committed) {
      const data = event.data;
      const { planId, householdId: _h, decisionId: _d, ...spend } = writtenData(event) as typeof data & { primaryProvision: { why: string } };
      const paid = spendEvents.find((e) => e.type === 'SpendPaid' && e.data.spendId === data.spendId);
      const paidOn = paid?.type === 'SpendPaid' ? { paidOn: paid.data.paidOn, ...(paid.data.invoiceReference ? { invoiceReference: paid.data.invoiceReference } : {}) } : {};
      plans.find((p) => p.planId === planId)!.spends.push({ ...spend, ...paidOn });
      budgetIds.add(data.budgetId);
    }
    const budgets = [];
    for (const budgetId of budgetIds) budgets.push((await loadStream(this.store, streams.budget(budgetId), tenant)).events[0]!.data);
    const register = await loadStream(this.store, streams.mandates(tenant), tenant);
    const granted = (register.events as MandateEvent[]).filter((e) => e.type === 'MandateGranted').map((e) => e.data);
    const { householdId: _id, ...rest } = opened;
    return {
      formatVersion: 1,
      tenant,
      mandates: granted as HouseholdDocument['mandates'],
      budgets: budgets as HouseholdDocument['budgets'],
      households: [{ householdId, ...(rest as Omit<HouseholdDocument['households'][number], 'householdId' | 'plans'>), plans }],
    };
  }
}
