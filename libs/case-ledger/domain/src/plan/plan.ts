import { Exact, Money } from '@doorbraak/kernel';
import { type DecisionRole, decisionRoles, type FundingSource, municipalSources } from '../reference/code-lists';
import { type MandateRegisterState, lowestAuthorityFor, mandateAllows } from '../mandate-register/mandate-register';
import type { CostLine } from '../rendement/rendement';
import { type Decider, unreachable } from '../shared/decider';
import { sealFreeText } from '../shared/free-text';
import * as E from './plan.errors';
import { type PlanContent, type PlanEvent, type PlanEventData, type PlanEventType, planFreeText } from './plan.events';

/**
 * A doorbraak plan: the six steps, each doorbraak with its value triangle, the cost analysis, the action plan
 * and evaluations, and the decision flow draft → submitted → (escalated) → decided → in execution → closed or
 * replaced by a new version.
 */
export type PlanStatus = 'none' | 'draft' | 'submitted' | 'escalated' | 'approved' | 'rejected' | 'in_execution' | 'closed' | 'replaced';

export interface Doorbraak {
  readonly doorbraakId: string;
  readonly interventionType: string;
  /** Laws of the blocking rules in the latest legitimacy record. */
  readonly laws: readonly FundingSource[];
}

export interface PlanDecision {
  readonly decisionId: string;
  readonly outcome: 'approved' | 'approved_with_conditions' | 'rejected';
  readonly decidedOn: string;
  readonly approvedAmount: Money;
  readonly doorbraakIds: readonly string[];
}

export interface PlanState {
  readonly status: PlanStatus;
  readonly planId: string;
  readonly householdId: string;
  /** Record ids per step key (`situatieschets`, `legitimiteit:<doorbraakId>` ...), oldest first. */
  readonly records: ReadonlyMap<string, readonly string[]>;
  readonly doorbraken: ReadonlyMap<string, Doorbraak>;
  /** Whether each cost line is withdrawn; its amounts are in the events (see `toCostLine`), not needed to decide. */
  readonly costLines: ReadonlyMap<string, { readonly withdrawn: boolean }>;
  readonly actions: ReadonlyMap<string, { readonly completed: boolean }>;
  readonly evaluations: ReadonlySet<string>;
  readonly submittedOn?: string;
  readonly escalatedTo?: DecisionRole;
  readonly decision?: PlanDecision;
}

type RecordEventType = Exclude<PlanEventType, 'PlanSubmittedForDecision' | 'PlanEscalated' | 'PlanDecided' | 'PlanExecutionStarted' | 'PlanClosed' | 'PlanReplaced'>;

/** Commands that record a fact of the plan carry the event data; the decider checks it against the state. */
const recordCommands = {
  DraftPlan: 'PlanDrafted',
  RecordSituatieschets: 'SituatieschetsRecorded',
  RecordToekomstperspectief: 'ToekomstperspectiefRecorded',
  RecordOverzicht: 'OverzichtRecorded',
  DefineDoorbraak: 'DoorbraakDefined',
  RecordLegitimiteit: 'LegitimiteitRecorded',
  RecordBetrokkenheid: 'BetrokkenheidRecorded',
  RecordProfessionalOpinion: 'ProfessionalOpinionRecorded',
  RecordWeging: 'WegingRecorded',
  SetRendementPeriod: 'RendementPeriodSet',
  AddCostLine: 'CostLineAdded',
  CorrectCostLine: 'CostLineCorrected',
  WithdrawCostLine: 'CostLineWithdrawn',
  EndorseDreigendScenario: 'DreigendScenarioEndorsed',
  PlanAction: 'ActionPlanned',
  CompleteAction: 'ActionCompleted',
  RecordVangnet: 'VangnetRecorded',
  ScheduleEvaluation: 'EvaluationScheduled',
  RecordEvaluation: 'EvaluationRecorded',
} as const satisfies Record<string, RecordEventType>;

export type RecordCommandType = keyof typeof recordCommands;

/** A plan event as written, before its free text moves under `personal`. */
export type PlanContentEvent = { [K in PlanEventType]: { type: K; data: PlanContent<K> } }[PlanEventType];

/** The event as stored: its free text under `personal`. */
export function sealPlanEvent(event: PlanContentEvent): PlanEvent {
  return { type: event.type, data: sealFreeText(event.data, planFreeText[event.type]) } as PlanEvent;
}

/** Commands carry what is written; the decider stores it with its free text under `personal`. */
export type PlanCommand =
  | { [K in RecordCommandType]: { type: K; data: PlanContent<(typeof recordCommands)[K]> } }[RecordCommandType]
  | { type: 'SubmitForDecision'; data: PlanContent<'PlanSubmittedForDecision'> }
  | { type: 'Escalate'; data: PlanContent<'PlanEscalated'> }
  | {
      type: 'Decide';
      data: Omit<PlanContent<'PlanDecided'>, 'mandateRegisterVersion'>;
      /** The municipality's mandate register as it stands, and its stream version. */
      register: MandateRegisterState;
      registerVersion: number;
    }
  | { type: 'StartExecution'; data: PlanContent<'PlanExecutionStarted'> }
  | { type: 'ClosePlan'; data: PlanContent<'PlanClosed'> }
  | { type: 'ReplacePlan'; data: PlanContent<'PlanReplaced'> };

const ACTIVE = { withdrawn: false } as const;
const WITHDRAWN = { withdrawn: true } as const;

const initialState: PlanState = {
  status: 'none',
  planId: '',
  householdId: '',
  records: new Map(),
  doorbraken: new Map(),
  costLines: new Map(),
  actions: new Map(),
  evaluations: new Set(),
};

/** The events that record a step (and its corrections), with the step they record. */
export const recordedSteps: Readonly<Record<string, string>> = {
  SituatieschetsRecorded: 'situatieschets',
  ToekomstperspectiefRecorded: 'toekomstperspectief',
  OverzichtRecorded: 'overzicht',
  VangnetRecorded: 'vangnet',
  LegitimiteitRecorded: 'legitimiteit',
  BetrokkenheidRecorded: 'betrokkenheid',
  WegingRecorded: 'weging',
};

const stepKey = (event: PlanEvent | PlanContentEvent): string | undefined => {
  const step = recordedSteps[event.type];
  if (!step) return undefined;
  const doorbraakId = (event.data as { doorbraakId?: string }).doorbraakId;
  return doorbraakId ? `${step}:${doorbraakId}` : step;
};

function guardChange(state: PlanState, type: RecordEventType, correcting: boolean): void {
  if (state.status === 'closed' || state.status === 'replaced') throw new E.PlanClosed(`plan ${state.planId} is ${state.status}`);
  if (state.status === 'submitted' || state.status === 'escalated') {
    if (type !== 'ProfessionalOpinionRecorded') throw new E.PlanAwaitingDecision('the plan awaits a decision; only professional opinions can be added now');
    return;
  }
  if (state.status === 'rejected') throw new E.PlanContentFrozen('the plan was rejected; draft a new plan version instead');
  if (state.status === 'approved' || state.status === 'in_execution') {
    const afterDecision: RecordEventType[] = ['ActionPlanned', 'ActionCompleted', 'EvaluationScheduled', 'EvaluationRecorded', 'CostLineCorrected', 'ProfessionalOpinionRecorded'];
    if (!correcting && !afterDecision.includes(type)) {
      throw new E.PlanContentFrozen('the plan has been decided: record corrections, actions and evaluations, or draft a new plan version');
    }
  }
}

function decideRecord(state: PlanState, event: PlanContentEvent & { type: RecordEventType }): PlanContentEvent[] {
  if (event.type === 'PlanDrafted') {
    if (state.status !== 'none') throw new E.PlanAlreadyExists(`plan ${state.planId} already exists`, 'planId');
    return [event];
  }
  if (state.status === 'none') throw new E.PlanNotFound('no such plan', 'planId');
  const data = event.data as { correction?: { corrects: string }; doorbraakId?: string };
  guardChange(state, event.type, data.correction !== undefined);
  if (data.doorbraakId !== undefined && !state.doorbraken.has(data.doorbraakId) && event.type !== 'DoorbraakDefined') {
    throw new E.DoorbraakNotFound(`no doorbraak ${data.doorbraakId} in this plan`, 'doorbraakId');
  }
  const key = stepKey(event);
  if (key) {
    const previous = state.records.get(key) ?? [];
    if (data.correction) {
      if (!previous.includes(data.correction.corrects)) {
        throw new E.CorrectionTargetNotFound(`record ${data.correction.corrects} is not a ${key.split(':')[0]} record of this plan`, 'correction/corrects');
      }
    } else if (previous.length > 0) {
      throw new E.StepAlreadyRecorded(`${key.split(':')[0]} is already recorded; send a correction that names record ${previous[previous.length - 1]}`, 'correction');
    }
  }
  switch (event.type) {
    case 'DoorbraakDefined':
      if (state.doorbraken.has(event.data.doorbraakId)) throw new E.DuplicateId(`doorbraak ${event.data.doorbraakId} exists`, 'doorbraakId');
      break;
    case 'CostLineAdded':
      if (state.costLines.has(event.data.costLineId)) throw new E.DuplicateId(`cost line ${event.data.costLineId} exists`, 'costLineId');
      break;
    case 'CostLineCorrected':
    case 'CostLineWithdrawn': {
      const line = state.costLines.get(event.data.costLineId);
      if (!line || line.withdrawn) throw new E.CostLineNotFound(`no cost line ${event.data.costLineId}`, 'costLineId');
      break;
    }
    case 'ActionPlanned':
      if (state.actions.has(event.data.actionId)) throw new E.DuplicateId(`action ${event.data.actionId} exists`, 'actionId');
      break;
    case 'ActionCompleted': {
      const action = state.actions.get(event.data.actionId);
      if (!action) throw new E.ActionNotFound(`no action ${event.data.actionId}`, 'actionId');
      if (action.completed) throw new E.ActionAlreadyCompleted(`action ${event.data.actionId} is already completed`, 'actionId');
      break;
    }
    case 'EvaluationScheduled':
      if (state.evaluations.has(event.data.evaluationId)) throw new E.DuplicateId(`evaluation ${event.data.evaluationId} exists`, 'evaluationId');
      break;
    case 'EvaluationRecorded':
      if (!state.evaluations.has(event.data.evaluationId)) throw new E.EvaluationNotScheduled(`evaluation ${event.data.evaluationId} was not scheduled`, 'evaluationId');
      break;
    default:
      break;
  }
  return [event];
}

function missingForSubmission(state: PlanState): string[] {
  const missing: string[] = [];
  if (!state.records.has('situatieschets')) missing.push('situatieschets');
  if (state.doorbraken.size === 0) missing.push('at least one doorbraak');
  for (const d of state.doorbraken.values()) {
    if (!state.records.has(`legitimiteit:${d.doorbraakId}`)) missing.push(`legitimiteit of doorbraak ${d.doorbraakId}`);
  }
  if (![...state.costLines.values()].some((l) => !l.withdrawn)) missing.push('at least one cost line');
  return missing;
}

function decideDecision(state: PlanState, command: Extract<PlanCommand, { type: 'Decide' }>): PlanContentEvent[] {
  const d = command.data;
  if (state.status !== 'submitted' && state.status !== 'escalated') throw new E.PlanNotAwaitingDecision(`the plan is ${state.status}, not awaiting a decision`);
  if (state.submittedOn && d.decidedOn < state.submittedOn) throw new E.DecisionDateInvalid('a decision cannot precede the submission', 'decidedOn');
  for (const id of d.doorbraakIds) if (!state.doorbraken.has(id)) throw new E.DoorbraakNotFound(`no doorbraak ${id} in this plan`, 'doorbraakIds');
  const amount = Money.parse(d.approvedAmount);
  if (d.outcome === 'rejected' && !amount.isZero()) throw new E.DecisionDateInvalid('a rejection approves no amount', 'approvedAmount');
  if (state.escalatedTo && decisionRoles.indexOf(d.decisionMaker.role) < decisionRoles.indexOf(state.escalatedTo)) {
    throw new E.DecisionBelowEscalation(`the plan was escalated to the ${state.escalatedTo}; a ${d.decisionMaker.role} cannot decide it`, 'decisionMaker/role');
  }
  // The municipal decision covers the municipality's own rules; others' rules are decided by their owners.
  const laws = [...new Set(d.doorbraakIds.flatMap((id) => state.doorbraken.get(id)!.laws))].filter((law) => municipalSources.includes(law));
  const request = { kind: 'doorbraak' as const, on: d.decidedOn, fundingSources: laws, amount, per: 'plan' as const };
  const mandate = command.register.mandates.get(d.mandateId);
  const needed = () => lowestAuthorityFor(command.register, request);
  if (!mandate) throw new E.DecisionBeyondMandate(`mandate ${d.mandateId} is not in the register`, needed());
  if (mandate.onBehalfOf !== d.onBehalfOf) {
    throw new E.DecisionBeyondMandate(`mandate ${d.mandateId} acts on behalf of ${mandate.onBehalfOf}, not ${d.onBehalfOf}`, needed());
  }
  if (!mandateAllows(mandate, { ...request, role: d.decisionMaker.role })) {
    throw new E.DecisionBeyondMandate(
      `the ${d.decisionMaker.role}'s mandate ${d.mandateId} does not cover a doorbraak on ${laws.join(', ')} of €${amount.toString()} on ${d.decidedOn}`,
      needed(),
    );
  }
  return [{ type: 'PlanDecided', data: { ...d, mandateRegisterVersion: command.registerVersion } }];
}

function decide(command: PlanCommand, state: PlanState): PlanContentEvent[] {
    switch (command.type) {
      case 'SubmitForDecision': {
        if (state.status === 'none') throw new E.PlanNotFound('no such plan', 'planId');
        if (state.status !== 'draft') throw new E.PlanNotAwaitingDecision(`only a draft can be submitted; the plan is ${state.status}`);
        const missing = missingForSubmission(state);
        if (missing.length > 0) throw new E.PlanIncomplete(missing);
        return [{ type: 'PlanSubmittedForDecision', data: command.data }];
      }
      case 'Escalate':
        if (state.status !== 'submitted' && state.status !== 'escalated') throw new E.PlanNotAwaitingDecision(`the plan is ${state.status}; only a plan awaiting a decision can be escalated`);
        return [{ type: 'PlanEscalated', data: command.data }];
      case 'Decide':
        return decideDecision(state, command);
      case 'StartExecution':
        if (state.status !== 'approved') throw new E.PlanNotApproved(`the plan is ${state.status}; execution starts after approval`);
        return [{ type: 'PlanExecutionStarted', data: command.data }];
      case 'ClosePlan':
      case 'ReplacePlan':
        if (state.status === 'none') throw new E.PlanNotFound('no such plan', 'planId');
        if (state.status === 'closed' || state.status === 'replaced') throw new E.PlanClosed(`plan ${state.planId} is already ${state.status}`);
        return command.type === 'ClosePlan' ? [{ type: 'PlanClosed', data: command.data }] : [{ type: 'PlanReplaced', data: command.data }];
      default:
        return decideRecord(state, { type: recordCommands[command.type], data: command.data } as PlanContentEvent & { type: RecordEventType });
    }
}

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = {
  initialState,
  decide: (command, state) => decide(command, state).map(sealPlanEvent),
  evolve(state, event) {
    const key = stepKey(event);
    const records = key ? new Map(state.records).set(key, [...(state.records.get(key) ?? []), (event.data as { recordId: string }).recordId]) : state.records;
    const next: PlanState = { ...state, records };
    switch (event.type) {
      case 'PlanDrafted':
        return { ...next, status: 'draft', planId: event.data.planId, householdId: event.data.householdId };
      case 'DoorbraakDefined':
        return {
          ...next,
          doorbraken: new Map(state.doorbraken).set(event.data.doorbraakId, {
            doorbraakId: event.data.doorbraakId,
            interventionType: event.data.interventionType,
            laws: [],
          }),
        };
      case 'LegitimiteitRecorded': {
        const d = state.doorbraken.get(event.data.doorbraakId);
        if (!d) return next;
        return { ...next, doorbraken: new Map(state.doorbraken).set(d.doorbraakId, { ...d, laws: [...new Set(event.data.rules.map((r) => r.law))] }) };
      }
      case 'CostLineAdded':
      case 'CostLineCorrected':
        return { ...next, costLines: new Map(state.costLines).set(event.data.costLineId, ACTIVE) };
      case 'CostLineWithdrawn':
        return state.costLines.has(event.data.costLineId) ? { ...next, costLines: new Map(state.costLines).set(event.data.costLineId, WITHDRAWN) } : next;
      case 'ActionPlanned':
        return { ...next, actions: new Map(state.actions).set(event.data.actionId, { completed: false }) };
      case 'ActionCompleted':
        return { ...next, actions: new Map(state.actions).set(event.data.actionId, { completed: true }) };
      case 'EvaluationScheduled':
        return { ...next, evaluations: new Set(state.evaluations).add(event.data.evaluationId) };
      case 'PlanSubmittedForDecision':
        return { ...next, status: 'submitted', submittedOn: event.data.submittedOn };
      case 'PlanEscalated':
        return { ...next, status: 'escalated', escalatedTo: asDecisionRole(event.data.to) ?? state.escalatedTo };
      case 'PlanDecided':
        return {
          ...next,
          status: event.data.outcome === 'rejected' ? 'rejected' : 'approved',
          decision: {
            decisionId: event.data.decisionId,
            outcome: event.data.outcome,
            decidedOn: event.data.decidedOn,
            approvedAmount: Money.parse(event.data.approvedAmount),
            doorbraakIds: event.data.doorbraakIds,
          },
        };
      case 'PlanExecutionStarted':
        return { ...next, status: 'in_execution' };
      case 'PlanClosed':
        return { ...next, status: 'closed' };
      case 'PlanReplaced':
        return { ...next, status: 'replaced' };
      case 'SituatieschetsRecorded':
      case 'ToekomstperspectiefRecorded':
      case 'OverzichtRecorded':
      case 'BetrokkenheidRecorded':
      case 'ProfessionalOpinionRecorded':
      case 'WegingRecorded':
      case 'RendementPeriodSet':
      case 'DreigendScenarioEndorsed':
      case 'VangnetRecorded':
      case 'EvaluationRecorded':
        return next;
      default:
        return unreachable(event);
    }
  },
  subjectOf: (state) => state.householdId || undefined,
};

function asDecisionRole(authority: string): DecisionRole | undefined {
  return decisionRoles.find((r) => r === authority);
}

export function toCostLine(data: Omit<PlanEventData<'CostLineAdded'>, 'personal'>): CostLine {
  return {
    costLineId: data.costLineId,
    ...(data.unit ? { unit: data.unit } : {}),
    unitPrice: Money.parse(data.unitPrice),
    quantities: { huidig: new Exact(data.quantities.huidig), dreigend: new Exact(data.quantities.dreigend), doorbraak: new Exact(data.quantities.doorbraak) },
    fundingSource: data.fundingSource,
    ...(data.doorbraakId ? { doorbraakId: data.doorbraakId } : {}),
  };
}

