import { type CostLine, type PlanEvent, type PlanEventData, computeRendement, isErased, printedTotals, readableData, toCostLine } from '@doorbraak/domain';
import type { JsonObject } from '@doorbraak/event-store';
import { doorbraakLabel, planLabel } from '../shared/labels';

export interface PlanView extends JsonObject {
  planId: string;
  householdId: string;
  tenant: string;
  /** What the plan is called where its free text may not be shown: derived from codes, never from free text. */
  label: string;
  /** The plan's title, as the caseworker wrote it. */
  personal: JsonObject;
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
  /** The pseudonymous reference of the plan's household, for the plan's label (read when the plan is drafted). */
  readonly householdReference?: string;
  readonly streamVersion: bigint;
  readonly recordedAt: Date;
}

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** A step's current content with the history of records (the first and each correction). */
function recorded(previous: unknown, current: JsonObject, event: { recordId: string; correction?: JsonObject }, at: string): JsonObject {
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

/** Part of a personal part: the named keys, or the whole marker when it is erased or withheld. */
function personalPart(personal: unknown, keys: readonly string[]): JsonObject | undefined {
  if (personal === undefined) return undefined;
  if (isErased(personal)) return personal as JsonObject;
  const part = Object.fromEntries(Object.entries(personal as JsonObject).filter(([k]) => keys.includes(k)));
  return Object.keys(part).length ? part : undefined;
}
const withPersonal = (personal: JsonObject | undefined): JsonObject => (personal ? { personal } : {});

/**
 * The current state of a plan as people read it: every step (with its correction history), each doorbraak with
 * its value triangle, the cost table (its totals come from `withTotals`), actions, evaluations and the decision
 * flow. Free text stands under the `personal` key of the object it describes (a title on its doorbraak, a
 * reason on its correction), so that withholding or erasing it leaves the rest readable; plans and doorbraken
 * carry a label derived from codes. Pure; used by the current-plans projection and to answer a read of one stream.
 */
export function evolvePlanView(view: PlanView | null, event: PlanEvent, context: EventContext): PlanView | null {
  const at = context.recordedAt.toISOString();
  const readable = readableData(event) as JsonObject & { planId: string };
  if (event.type === 'PlanDrafted') {
    const d = event.data;
    return {
      planId: d.planId,
      householdId: d.householdId,
      tenant: context.tenant,
      label: planLabel(context.householdReference ?? d.householdId, d.planVersion),
      personal: readable['personal'] as JsonObject,
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
  const { planId: _planId, ...content } = readable;
  const correction = content['correction'] as JsonObject | undefined;
  if (correction) next.corrections = [...view.corrections, { type: event.type, recordId: content['recordId'] as string, ...correction, at }];
  const rendement = view.rendement as unknown as Rendement;
  switch (event.type) {
    case 'SituatieschetsRecorded':
    case 'ToekomstperspectiefRecorded':
    case 'OverzichtRecorded':
    case 'VangnetRecorded': {
      const step = { SituatieschetsRecorded: 'situatieschets', ToekomstperspectiefRecorded: 'toekomstperspectief', OverzichtRecorded: 'overzicht', VangnetRecorded: 'vangnet' }[event.type];
      const { recordId, correction: _c, ...current } = content;
      return { ...next, steps: { ...view.steps, [step]: recorded(view.steps[step], current, { recordId: recordId as string, ...(correction ? { correction } : {}) }, at) } };
    }
    case 'DoorbraakDefined': {
      const label = doorbraakLabel(view.label, view.doorbraken.length + 1, event.data.interventionType);
      return { ...next, doorbraken: [...view.doorbraken, { ...content, label, legitimiteit: null, betrokkenheid: null, weging: null, opinions: [] }] };
    }
    case 'LegitimiteitRecorded':
    case 'BetrokkenheidRecorded':
    case 'WegingRecorded': {
      const field = { LegitimiteitRecorded: 'legitimiteit', BetrokkenheidRecorded: 'betrokkenheid', WegingRecorded: 'weging' }[event.type];
      const { doorbraakId: _d, recordId, correction: _c, ...current } = content;
      return { ...next, doorbraken: withDoorbraak(view, event.data.doorbraakId, (d) => ({ ...d, [field]: recorded(d[field], current, { recordId: recordId as string, ...(correction ? { correction } : {}) }, at) })) };
    }
    case 'ProfessionalOpinionRecorded': {
      const { doorbraakId: _d, ...opinion } = content;
      return { ...next, doorbraken: withDoorbraak(view, event.data.doorbraakId, (d) => ({ ...d, opinions: [...(d['opinions'] as JsonObject[]), { ...opinion, at }] })) };
    }
    case 'RendementPeriodSet':
      return { ...next, rendement: rendementOf(rendement.costLines, event.data.periodMonths, rendement.endorsements) };
    case 'DreigendScenarioEndorsed':
      return { ...next, rendement: rendementOf(rendement.costLines, rendement.periodMonths, [...rendement.endorsements, content]) };
    case 'CostLineAdded':
    case 'CostLineCorrected':
    case 'CostLineWithdrawn': {
      const { personal, ...line } = content;
      const text = withPersonal(personalPart(personal, ['description', 'priceSource', 'priceListVersion']));
      const reason = withPersonal(personalPart(personal, ['reason']));
      const lines =
        event.type === 'CostLineAdded'
          ? [...rendement.costLines, { ...line, ...text, withdrawn: false, corrections: [] }]
          : rendement.costLines.map((l) =>
              l['costLineId'] !== event.data.costLineId
                ? l
                : event.type === 'CostLineWithdrawn'
                  ? { ...l, withdrawn: true, withdrawal: { ...reason, at } }
                  : { ...l, ...line, ...text, corrections: [...(l['corrections'] as JsonObject[]), { ...reason, at, previous: pick(l) }] },
            );
      return { ...next, rendement: rendementOf(lines as JsonObject[], rendement.periodMonths, rendement.endorsements) };
    }
    case 'ActionPlanned':
      return { ...next, actions: [...view.actions, { ...content, completedOn: null }] };
    case 'ActionCompleted':
      return { ...next, actions: view.actions.map((a) => (a['actionId'] === event.data.actionId ? { ...a, completedOn: event.data.completedOn } : a)) };
    case 'EvaluationScheduled':
      return { ...next, evaluations: [...view.evaluations, { ...content, result: null }] };
    case 'EvaluationRecorded': {
      const { evaluationId: _e, ...result } = content;
      return { ...next, evaluations: view.evaluations.map((e) => (e['evaluationId'] === event.data.evaluationId ? { ...e, result } : e)) };
    }
    case 'PlanSubmittedForDecision':
      return { ...next, status: 'submitted', submittedOn: event.data.submittedOn, submission: { submittedBy: event.data.submittedBy, requestedAmount: event.data.requestedAmount } };
    case 'PlanEscalated':
      return { ...next, status: 'escalated', escalations: [...view.escalations, content] };
    case 'PlanDecided': {
      const decision = event.data;
      return {
        ...next,
        status: decision.outcome === 'rejected' ? 'rejected' : 'approved',
        decidedOn: decision.decidedOn,
        leadTimeDays: view.submittedOn ? days(view.submittedOn, decision.decidedOn) : null,
        decision: content,
      };
    }
    case 'PlanExecutionStarted':
      return { ...next, status: 'in_execution', executionStartedOn: event.data.startedOn };
    case 'PlanClosed':
      return { ...next, status: 'closed', closure: { closedOn: event.data.closedOn, reason: event.data.reason, ...withPersonal(content['personal'] as JsonObject | undefined) } };
    case 'PlanReplaced': {
      const personal = content['personal'] as JsonObject | undefined;
      const note = personal && !isErased(personal) ? { note: personal['reason']! } : personal;
      return { ...next, status: 'replaced', replacedBy: event.data.byPlanId, closure: { closedOn: event.data.replacedOn, reason: 'replanned', ...withPersonal(note) } };
    }
  }
}

function pick(line: JsonObject): JsonObject {
  return { unitPrice: line['unitPrice']!, quantities: line['quantities']!, fundingSource: line['fundingSource']!, ...(line['personal'] ? { personal: line['personal'] } : {}) };
}

