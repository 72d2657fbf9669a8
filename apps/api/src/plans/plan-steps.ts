import { type PlanStepCommand } from '@doorbraak/application';
import { planEventSchemas } from '@doorbraak/domain';
import { z } from 'zod';

type PathId = 'doorbraakId' | 'costLineId' | 'actionId' | 'evaluationId';
type GeneratedId = 'recordId' | 'doorbraakId' | 'opinionId' | 'costLineId' | 'actionId' | 'evaluationId' | 'decisionId';

/** One POST under /v1/plans/{planId}: which command it sends and which body it takes. */
export interface PlanStep {
  /** Path below the plan, with `{doorbraakId}`-style parameters. */
  readonly path: string;
  readonly command: PlanStepCommand['type'] | 'Decide';
  readonly summary: string;
  readonly schema: z.ZodObject;
  readonly pathIds: readonly PathId[];
  /** The id the server makes when the body does not bring one; returned in the response. */
  readonly generates?: GeneratedId;
}

const step = (
  path: string,
  command: PlanStep['command'],
  event: keyof typeof planEventSchemas,
  summary: string,
  pathIds: PathId[] = [],
  generates?: GeneratedId,
  omit: string[] = [],
): PlanStep => {
  const mask = Object.fromEntries(['planId', ...pathIds, ...omit, ...(generates ? [generates] : [])].map((k) => [k, true]));
  const base = (planEventSchemas[event] as z.ZodObject).omit(mask as never) as z.ZodObject;
  const schema = generates ? base.extend({ [generates]: z.string().uuid().optional() }) : base;
  return { path, command, summary, schema: schema.strict(), pathIds, ...(generates ? { generates } : {}) };
};

export const planSteps: readonly PlanStep[] = [
  step('situatieschets', 'RecordSituatieschets', 'SituatieschetsRecorded', 'Record (or correct) the situatieschets', [], 'recordId'),
  step('toekomstperspectief', 'RecordToekomstperspectief', 'ToekomstperspectiefRecorded', 'Record (or correct) the toekomstperspectief', [], 'recordId'),
  step('overzicht', 'RecordOverzicht', 'OverzichtRecorded', 'Record (or correct) the overzicht (A self, B support, C solve)', [], 'recordId'),
  step('doorbraken', 'DefineDoorbraak', 'DoorbraakDefined', 'Define a doorbraak', [], 'doorbraakId'),
  step('doorbraken/{doorbraakId}/legitimiteit', 'RecordLegitimiteit', 'LegitimiteitRecorded', 'Record (or correct) the five legitimacy answers of a doorbraak', ['doorbraakId'], 'recordId'),
  step('doorbraken/{doorbraakId}/betrokkenheid', 'RecordBetrokkenheid', 'BetrokkenheidRecorded', 'Record (or correct) the betrokkenheid hypothesis and agreements', ['doorbraakId'], 'recordId'),
  step('doorbraken/{doorbraakId}/opinions', 'RecordProfessionalOpinion', 'ProfessionalOpinionRecorded', "Record a professional's opinion, dissent included", ['doorbraakId'], 'opinionId'),
  step('doorbraken/{doorbraakId}/weging', 'RecordWeging', 'WegingRecorded', 'Record (or correct) the weging of the three values', ['doorbraakId'], 'recordId'),
  step('rendement-period', 'SetRendementPeriod', 'RendementPeriodSet', 'Set the period of the cost analysis in months'),
  step('cost-lines', 'AddCostLine', 'CostLineAdded', 'Add a cost line with quantities per scenario', [], 'costLineId'),
  step('cost-lines/{costLineId}/corrections', 'CorrectCostLine', 'CostLineCorrected', 'Correct a cost line (the original stays on record)', ['costLineId']),
  step('cost-lines/{costLineId}/withdrawal', 'WithdrawCostLine', 'CostLineWithdrawn', 'Withdraw a cost line', ['costLineId']),
  step('endorsements', 'EndorseDreigendScenario', 'DreigendScenarioEndorsed', 'Record a professional endorsing the threatening scenario'),
  step('actions', 'PlanAction', 'ActionPlanned', 'Plan an action', [], 'actionId'),
  step('actions/{actionId}/completion', 'CompleteAction', 'ActionCompleted', 'Record that an action was completed', ['actionId']),
  step('vangnet', 'RecordVangnet', 'VangnetRecorded', 'Record (or correct) the vangnet', [], 'recordId'),
  step('evaluations', 'ScheduleEvaluation', 'EvaluationScheduled', 'Schedule an evaluation moment with its indicators', [], 'evaluationId'),
  step('evaluations/{evaluationId}/results', 'RecordEvaluation', 'EvaluationRecorded', 'Record the outcome of an evaluation', ['evaluationId']),
  step('submission', 'SubmitForDecision', 'PlanSubmittedForDecision', 'Submit the plan for decision'),
  step('escalations', 'Escalate', 'PlanEscalated', 'Escalate the decision to a higher authority'),
  step('decisions', 'Decide', 'PlanDecided', 'Decide on the plan under a mandate', [], 'decisionId', ['mandateRegisterVersion']),
  step('execution', 'StartExecution', 'PlanExecutionStarted', 'Start executing an approved plan'),
  step('closure', 'ClosePlan', 'PlanClosed', 'Close the plan with a reason'),
  step('replacement', 'ReplacePlan', 'PlanReplaced', 'Mark the plan as replaced by a new plan version'),
];

export const draftPlanSchema = planEventSchemas.PlanDrafted.omit({ planId: true })
  .extend({ planId: z.string().uuid().optional(), planVersion: z.number().int().min(1).default(1) })
  .strict();
