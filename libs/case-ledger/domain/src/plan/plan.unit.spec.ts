import { DeciderSpecification } from '@doorbraak/testing';
import { toStoredEvent } from '../events';
import { randomUUID } from 'node:crypto';
import { fold } from '../shared/decider';
import { mandateRegisterDecider } from '../mandate-register/mandate-register';
import { type PlanCommand, planDecider } from './plan';
import * as E from './plan.errors';
import { ON_BEHALF_OF, aMandate, aPlan } from './plan.fixtures';

/** The events as stored: free text under `personal`. */
const stored = (events: Parameters<typeof toStoredEvent>[0][]) => events.map(toStoredEvent) as never[];
const spec = DeciderSpecification.for(planDecider);

describe('Plan', () => {
  describe('when drafting', () => {
    it('records the draft', () => {
      const { events } = aPlan();
      spec.given(stored([])).when({ type: 'DraftPlan', data: events.drafted.data }).then(stored([events.drafted]));
    });

    it('refuses a second draft of the same plan', () => {
      const { events } = aPlan();
      spec.given(stored([events.drafted])).when({ type: 'DraftPlan', data: events.drafted.data }).thenThrows(E.PlanAlreadyExists);
    });

    it('refuses steps of a plan that was never drafted', () => {
      const { events } = aPlan();
      spec.given(stored([])).when({ type: 'RecordSituatieschets', data: events.situatieschets.data }).thenThrows(E.PlanNotFound);
    });
  });

  describe('when recording steps', () => {
    it('refuses to record a step twice without a correction, naming the record to correct', () => {
      const p = aPlan();
      spec
        .given(stored([p.events.drafted, p.events.situatieschets]))
        .when({ type: 'RecordSituatieschets', data: { ...p.events.situatieschets.data, recordId: randomUUID() } })
        .thenThrows(E.StepAlreadyRecorded, new RegExp(p.situatieschetsId));
    });

    it('records a correction that names the record it corrects', () => {
      const p = aPlan();
      const correction = { ...p.events.situatieschets.data, recordId: randomUUID(), correction: { corrects: p.situatieschetsId, reason: 'wrong date of release' } };
      spec.given(stored([p.events.drafted, p.events.situatieschets])).when({ type: 'RecordSituatieschets', data: correction }).then(stored([{ type: 'SituatieschetsRecorded', data: correction }]));
    });

    it('refuses a correction of a record that does not exist', () => {
      const p = aPlan();
      const correction = { ...p.events.situatieschets.data, recordId: randomUUID(), correction: { corrects: randomUUID(), reason: 'x' } };
      spec.given(stored([p.events.drafted, p.events.situatieschets])).when({ type: 'RecordSituatieschets', data: correction }).thenThrows(E.CorrectionTargetNotFound);
    });

    it('refuses legitimacy for a doorbraak the plan does not have', () => {
      const p = aPlan();
      spec.given(stored([p.events.drafted])).when({ type: 'RecordLegitimiteit', data: p.events.legitimiteit.data }).thenThrows(E.DoorbraakNotFound);
    });

    it('refuses a duplicate cost line and a correction of an unknown one', () => {
      const p = aPlan();
      const given = spec.given(stored([p.events.drafted, p.events.costLine]));
      given.when({ type: 'AddCostLine', data: p.events.costLine.data }).thenThrows(E.DuplicateId);
      given.when({ type: 'CorrectCostLine', data: { ...p.events.costLine.data, costLineId: randomUUID(), reason: 'typo' } }).thenThrows(E.CostLineNotFound);
    });

    it('refuses a second completion of an action and an evaluation that was never scheduled', () => {
      const p = aPlan();
      const actionId = randomUUID();
      const planned = { type: 'ActionPlanned' as const, data: { planId: p.planId, actionId, description: 'apply', owner: { role: 'regisseur' }, dueOn: '2026-03-10', phase: 'before' as const } };
      const completed = { type: 'ActionCompleted' as const, data: { planId: p.planId, actionId, completedOn: '2026-03-09' } };
      spec.given(stored([p.events.drafted, planned, completed])).when({ type: 'CompleteAction', data: completed.data }).thenThrows(E.ActionAlreadyCompleted);
      spec
        .given(stored([p.events.drafted]))
        .when({ type: 'RecordEvaluation', data: { planId: p.planId, evaluationId: randomUUID(), evaluatedOn: '2026-07-01', outcome: 'on_track', indicators: [] } })
        .thenThrows(E.EvaluationNotScheduled);
    });
  });

  describe('when submitting for decision', () => {
    it('lists what is missing', () => {
      const p = aPlan();
      const error = spec.given(stored([p.events.drafted, p.events.doorbraak])).when({ type: 'SubmitForDecision', data: p.events.submitted.data }).thenThrows(E.PlanIncomplete);
      expect((error as E.PlanIncomplete).missing).toEqual(['situatieschets', `legitimiteit of doorbraak ${p.doorbraakId}`, 'at least one cost line']);
    });

    it('submits a complete draft', () => {
      const p = aPlan();
      spec.given(stored(p.complete)).when({ type: 'SubmitForDecision', data: p.events.submitted.data }).then(stored([p.events.submitted]));
    });

    it('freezes the content while the decision is pending, except for opinions', () => {
      const p = aPlan();
      const given = spec.given(stored([...p.complete, p.events.submitted]));
      given.when({ type: 'AddCostLine', data: { ...p.events.costLine.data, costLineId: randomUUID() } }).thenThrows(E.PlanAwaitingDecision);
      const opinion = {
        planId: p.planId,
        doorbraakId: p.doorbraakId,
        opinionId: randomUUID(),
        professionalId: 'prof-2',
        role: 'participatiecoach',
        organisation: 'gemeente',
        position: 'dissents' as const,
        personal: { motivation: 'doubts the job search' },
      };
      given.when({ type: 'RecordProfessionalOpinion', data: opinion }).then(stored([{ type: 'ProfessionalOpinionRecorded', data: opinion }]));
    });
  });

  describe('when deciding', () => {
    const decide = (p: ReturnType<typeof aPlan>, mandate: ReturnType<typeof aMandate>, overrides: Partial<Extract<PlanCommand, { type: 'Decide' }>['data']> = {}): PlanCommand => ({
      type: 'Decide',
      register: fold(mandateRegisterDecider, [mandate]),
      registerVersion: 1,
      data: {
        planId: p.planId,
        decisionId: randomUUID(),
        decidedOn: '2026-03-03',
        outcome: 'approved',
        conditions: [],
        decisionMaker: { actorId: 'dm-1', role: 'directeur' },
        onBehalfOf: ON_BEHALF_OF,
        mandateId: mandate.data.mandateId,
        legalBasis: ['Participatiewet art. 18 lid 1'],
        motivation: 'the waiting period serves no purpose here',
        approvedAmount: '1052.32',
        doorbraakIds: [p.doorbraakId],
        ...overrides,
      },
    });

    it('records the decision with the mandate register version it was checked against', () => {
      const p = aPlan();
      const mandate = aMandate();
      const command = decide(p, mandate);
      spec.given(stored([...p.complete, p.events.submitted])).when(command).then(stored([{ type: 'PlanDecided', data: { ...(command.data as object), mandateRegisterVersion: 1 } as never }]));
    });

    it('refuses an amount beyond the mandate and names the authority that can decide', () => {
      const p = aPlan();
      const directeur = aMandate({ maxPerPlan: '1000' });
      const command = decide(p, directeur);
      const wethouder = aMandate({ role: 'wethouder', maxPerPlan: '100000' });
      if (command.type === 'Decide') command.register = fold(mandateRegisterDecider, [directeur, wethouder]);
      const error = spec.given(stored([...p.complete, p.events.submitted])).when(command).thenThrows(E.DecisionBeyondMandate, /escalate to the wethouder/);
      expect((error as E.DecisionBeyondMandate).requiredAuthority).toBe('wethouder');
    });

    it('refuses a law the mandate does not cover, a mandate not yet in force, and another role', () => {
      const p = aPlan();
      const given = spec.given(stored([...p.complete, p.events.submitted]));
      given.when(decide(p, aMandate({ fundingSources: ['wmo'] }))).thenThrows(E.DecisionBeyondMandate, /participatiewet/);
      given.when(decide(p, aMandate({ validFrom: '2026-06-01' }))).thenThrows(E.DecisionBeyondMandate);
      given.when(decide(p, aMandate({ role: 'teamleider' }))).thenThrows(E.DecisionBeyondMandate);
    });

    it('refuses a decision below the level the plan was escalated to', () => {
      const p = aPlan();
      const escalated = { type: 'PlanEscalated' as const, data: { planId: p.planId, escalatedOn: '2026-03-02', from: 'directeur', to: 'wethouder' as const, reason: 'no exception ground' } };
      spec.given(stored([...p.complete, p.events.submitted, escalated])).when(decide(p, aMandate())).thenThrows(E.DecisionBelowEscalation);
    });

    it('refuses a decision before the submission or on a plan not awaiting one', () => {
      const p = aPlan();
      spec.given(stored([...p.complete, p.events.submitted])).when(decide(p, aMandate(), { decidedOn: '2026-03-01' })).thenThrows(E.DecisionDateInvalid);
      spec.given(stored(p.complete)).when(decide(p, aMandate())).thenThrows(E.PlanNotAwaitingDecision);
    });

    it('after approval freezes new content but accepts corrections', () => {
      const p = aPlan();
      const mandate = aMandate();
      const decided = { type: 'PlanDecided' as const, data: { ...(decide(p, mandate).data as object), mandateRegisterVersion: 1 } as never };
      const given = spec.given(stored([...p.complete, p.events.submitted, decided]));
      given.when({ type: 'AddCostLine', data: { ...p.events.costLine.data, costLineId: randomUUID() } }).thenThrows(E.PlanContentFrozen);
      const correction = { ...p.events.costLine.data, unitPrice: '1100.00', reason: 'tariff 2026' };
      given.when({ type: 'CorrectCostLine', data: correction }).then(stored([{ type: 'CostLineCorrected', data: correction }]));
    });
  });

  describe('after the decision', () => {
    it('starts execution only after approval', () => {
      const p = aPlan();
      spec.given(stored([...p.complete, p.events.submitted])).when({ type: 'StartExecution', data: { planId: p.planId, startedOn: '2026-03-04' } }).thenThrows(E.PlanNotApproved);
    });

    it('freezes a rejected plan: a new plan version is the way on', () => {
      const p = aPlan();
      const rejected = {
        type: 'PlanDecided' as const,
        data: { planId: p.planId, decisionId: randomUUID(), decidedOn: '2026-03-03', outcome: 'rejected' as const, conditions: [], decisionMaker: { actorId: 'dm-1', role: 'directeur' as const }, onBehalfOf: ON_BEHALF_OF, mandateId: randomUUID(), mandateRegisterVersion: 1, legalBasis: ['Pw art. 41 lid 4'], motivation: 'no ground', approvedAmount: '0', doorbraakIds: [p.doorbraakId] },
      };
      spec.given(stored([...p.complete, p.events.submitted, rejected])).when({ type: 'RecordVangnet', data: { planId: p.planId, recordId: randomUUID(), personal: { text: 'x' } } }).thenThrows(E.PlanContentFrozen);
      const replaced = { planId: p.planId, replacedOn: '2026-03-10', byPlanId: randomUUID(), reason: 'new version' };
      spec.given(stored([...p.complete, p.events.submitted, rejected])).when({ type: 'ReplacePlan', data: replaced }).then(stored([{ type: 'PlanReplaced', data: replaced }]));
    });

    it('refuses a second doorbraak with the same id', () => {
      const p = aPlan();
      spec.given(stored([p.events.drafted, p.events.doorbraak])).when({ type: 'DefineDoorbraak', data: p.events.doorbraak.data }).thenThrows(E.DuplicateId);
    });
  });

  describe('when closing', () => {
    it('refuses any change to a closed plan', () => {
      const p = aPlan();
      const closed = { type: 'PlanClosed' as const, data: { planId: p.planId, closedOn: '2026-04-01', reason: 'withdrawn' as const } };
      spec.given(stored([...p.complete, closed])).when({ type: 'RecordVangnet', data: { planId: p.planId, recordId: randomUUID(), personal: { text: 'x' } } }).thenThrows(E.PlanClosed);
      spec.given(stored([...p.complete, closed])).when({ type: 'ClosePlan', data: closed.data }).thenThrows(E.PlanClosed);
    });
  });
});
