import { type CostLine, type PlanEvent, type PlanEventData, computeRendement, printedTotals, toCostLine } from '@doorbraak/domain';
import type { JsonObject } from '@doorbraak/event-store';

export interface PlanView extends JsonObject {
  planId: string;
  householdId: string;
  tenant: string;
  title: string;
  planVersion: number;
  status: string;
  draftedOn: string;
  submittedOn: string | null;
  decidedOn: string | null;
  /** Days from submission to decision. */
  leadTimeDays: number | null;
  steps: JsonObject;
  doorbraken: JsonObject[];
  rendement: JsonObject;
  actions: JsonObject[];
  evaluations: JsonObject[];
  escalations: JsonObject[];
  decision: JsonObject | null;
  executionStartedOn: string | null;
  closure: JsonObject | null;
  replacedBy: string | null;
  corrections: JsonObject[];
  version: string;
  updatedAt: string;
}

export interface EventContext {
  readonly tenant: string;
  readonly streamVersion: bigint;
  readonly recordedAt: Date;
}

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** A step's current content with the history of records (the first and each correction). */
function recorded(previous: unknown, current: JsonObject, event: { recordId: string; correction?: { corrects: string; reason: string } }, at: string): JsonObject {
  const history = ((previous as { history?: JsonObject[] } | undefined)?.history ?? []);
  return { current, history: [...history, { recordId: event.recordId, at, ...(event.correction ? { correction: event.correction } : {}) }] };
}

interface Rendement {
  periodMonths: number;
  endorsements: JsonObject[];
  costLines: JsonObject[];
}

const table = (t: { huidig: unknown; dreigend: unknown; doorbraak: unknown; directCosts: unknown; realBenefit: unknown }) => ({
  huidig: String(t.huidig),
  dreigend: String(t.dreigend),
  doorbraak: String(t.doorbraak),
  directCosts: String(t.directCosts),
  realBenefit: String(t.realBenefit),
});

/**
 * The plan with its cost table's exact and printed totals (overall and per funding source), derived from its
 * cost lines. `evolvePlanView` keeps only the lines, so a fold of many events computes the totals once, at the end.
 */
export function withTotals(view: PlanView): PlanView {
  const { periodMonths, endorsements, costLines } = view.rendement as unknown as Rendement;
  const active: CostLine[] = costLines.filter((l) => !l['withdrawn']).map((l) => toCostLine(l as unknown as PlanEventData<'CostLineAdded'>));
  const exact = computeRendement(active);
  return {
    ...view,
    rendement: {
      periodMonths,
      endorsements,
      costLines,
      exact: table(exact),
      printed: table(printedTotals(active)),
      byFundingSource: Object.fromEntries(Object.entries(exact.byFundingSource).map(([source, t]) => [source, table(t!)])),
    },
  };
}

const rendementOf = (costLines: JsonObject[], periodMonths: number, endorsements: JsonObject[]): JsonObject => ({ periodMonths, endorsements, costLines });

function withDoorbraak(view: PlanView, doorbraakId: string, change: (d: JsonObject) => JsonObject): JsonObject[] {
  return view.doorbraken.map((d) => (d['doorbraakId'] === doorbraakId ? change(d) : d));
}

/**
 * The current state of a plan as people read it: every step (with its correction history), each doorbraak with
 * its value triangle, the cost table (its totals come from `withTotals`), actions, evaluations and the decision
 * flow. Pure; used by the current-plans projection and to answer a read of one stream.
 */
export function evolvePlanView(view: PlanView | null, event: PlanEvent, context: EventContext): PlanView | null {
  const at = context.recordedAt.toISOString();
  if (event.type === 'PlanDrafted') {
    const d = event.data;
    return {
      planId: d.planId,
      householdId: d.householdId,
      tenant: context.tenant,
      title: d.title,
      planVersion: d.planVersion,
      status: 'draft',
      draftedOn: d.draftedOn,
      submittedOn: null,
      decidedOn: null,
      leadTimeDays: null,
      steps: {},
      doorbraken: [],
      rendement: rendementOf([], 12, []),
      actions: [],
      evaluations: [],
      escalations: [],
      decision: null,
      executionStartedOn: null,
      closure: null,
      replacedBy: null,
      corrections: [],
      version: context.streamVersion.toString(),
      updatedAt: at,
      ...(d.replacesPlanId ? { replacesPlanId: d.replacesPlanId } : {}),
    };
  }
  if (!view) return null;
  const next: PlanView = { ...view, version: context.streamVersion.toString(), updatedAt: at };
  const correction = (event.data as { correction?: { corrects: string; reason: string }; recordId?: string }).correction;
  if (correction) next.corrections = [...view.corrections, { type: event.type, recordId: (event.data as { recordId: string }).recordId, ...correction, at }];
  const rendement = view.rendement as unknown as Rendement;
  switch (event.type) {
    case 'SituatieschetsRecorded':
    case 'ToekomstperspectiefRecorded':
    case 'OverzichtRecorded':
    case 'VangnetRecorded': {
      const step = { SituatieschetsRecorded: 'situatieschets', ToekomstperspectiefRecorded: 'toekomstperspectief', OverzichtRecorded: 'overzicht', VangnetRecorded: 'vangnet' }[event.type];
      const { planId: _p, recordId: _r, correction: _c, ...content } = event.data as typeof event.data & { correction?: unknown };
      return { ...next, steps: { ...view.steps, [step]: recorded(view.steps[step], content as JsonObject, event.data, at) } };
    }
    case 'DoorbraakDefined': {
      const { planId: _p, ...d } = event.data;
      return { ...next, doorbraken: [...view.doorbraken, { ...d, legitimiteit: null, betrokkenheid: null, weging: null, opinions: [] }] };
    }
    case 'LegitimiteitRecorded':
    case 'BetrokkenheidRecorded':
    case 'WegingRecorded': {
      const field = { LegitimiteitRecorded: 'legitimiteit', BetrokkenheidRecorded: 'betrokkenheid', WegingRecorded: 'weging' }[event.type];
      const { planId: _p, doorbraakId, recordId: _r, correction: _c, ...content } = event.data as typeof event.data & { correction?: unknown };
      return { ...next, doorbraken: withDoorbraak(view, doorbraakId, (d) => ({ ...d, [field]: recorded(d[field], content as JsonObject, event.data, at) })) };
    }
    case 'ProfessionalOpinionRecorded': {
      const { planId: _p, doorbraakId, ...opinion } = event.data;
      return { ...next, doorbraken: withDoorbraak(view, doorbraakId, (d) => ({ ...d, opinions: [...(d['opinions'] as JsonObject[]), { ...opinion, at }] })) };
    }
    case 'RendementPeriodSet':
      return { ...next, rendement: rendementOf(rendement.costLines, event.data.periodMonths, rendement.endorsements) };
    case 'DreigendScenarioEndorsed': {
      const { planId: _p, ...endorsement } = event.data;
      return { ...next, rendement: rendementOf(rendement.costLines, rendement.periodMonths, [...rendement.endorsements, endorsement]) };
    }
    case 'CostLineAdded':
    case 'CostLineCorrected':
    case 'CostLineWithdrawn': {
      const { planId: _p, ...line } = event.data;
      const lines =
        event.type === 'CostLineAdded'
          ? [...rendement.costLines, { ...line, withdrawn: false, corrections: [] }]
          : rendement.costLines.map((l) =>
              l['costLineId'] !== line.costLineId
                ? l
                : event.type === 'CostLineWithdrawn'
                  ? { ...l, withdrawn: true, withdrawal: { reason: event.data.reason, at } }
                  : { ...l, ...line, corrections: [...(l['corrections'] as JsonObject[]), { reason: event.data.reason, at, previous: pick(l) }] },
            );
      return { ...next, rendement: rendementOf(lines as JsonObject[], rendement.periodMonths, rendement.endorsements) };
    }
    case 'ActionPlanned': {
      const { planId: _p, ...action } = event.data;
      return { ...next, actions: [...view.actions, { ...action, completedOn: null }] };
    }
    case 'ActionCompleted':
      return { ...next, actions: view.actions.map((a) => (a['actionId'] === event.data.actionId ? { ...a, completedOn: event.data.completedOn } : a)) };
    case 'EvaluationScheduled': {
      const { planId: _p, ...evaluation } = event.data;
      return { ...next, evaluations: [...view.evaluations, { ...evaluation, result: null }] };
    }
    case 'EvaluationRecorded': {
      const { planId: _p, evaluationId, ...result } = event.data;
      return { ...next, evaluations: view.evaluations.map((e) => (e['evaluationId'] === evaluationId ? { ...e, result: result as JsonObject } : e)) };
    }
    case 'PlanSubmittedForDecision':
      return { ...next, status: 'submitted', submittedOn: event.data.submittedOn, submission: { submittedBy: event.data.submittedBy, requestedAmount: event.data.requestedAmount } };
    case 'PlanEscalated': {
      const { planId: _p, ...escalation } = event.data;
      return { ...next, status: 'escalated', escalations: [...view.escalations, escalation] };
    }
    case 'PlanDecided': {
      const { planId: _p, ...decision } = event.data;
      return {
        ...next,
        status: decision.outcome === 'rejected' ? 'rejected' : 'approved',
        decidedOn: decision.decidedOn,
        leadTimeDays: view.submittedOn ? days(view.submittedOn, decision.decidedOn) : null,
        decision: decision as unknown as JsonObject,
      };
    }
    case 'PlanExecutionStarted':
      return { ...next, status: 'in_execution', executionStartedOn: event.data.startedOn };
    case 'PlanClosed':
      return { ...next, status: 'closed', closure: { closedOn: event.data.closedOn, reason: event.data.reason, ...(event.data.note ? { note: event.data.note } : {}) } };
    case 'PlanReplaced':
      return { ...next, status: 'replaced', replacedBy: event.data.byPlanId, closure: { closedOn: event.data.replacedOn, reason: 'replanned', note: event.data.reason } };
  }
}

function pick(line: JsonObject): JsonObject {
  return { unitPrice: line['unitPrice']!, quantities: line['quantities']!, fundingSource: line['fundingSource']!, description: line['description']! };
}

