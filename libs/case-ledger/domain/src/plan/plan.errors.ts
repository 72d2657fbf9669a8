import { DomainError } from '@doorbraak/kernel';
import type { DecisionRole } from '../reference/code-lists';

export class PlanNotFound extends DomainError {
  readonly code = 'PLAN.NOT_FOUND';
  readonly kind = 'not_found';
}
export class PlanAlreadyExists extends DomainError {
  readonly code = 'PLAN.ALREADY_EXISTS';
  readonly kind = 'conflict';
}
export class PlanClosed extends DomainError {
  readonly code = 'PLAN.CLOSED';
  readonly kind = 'conflict';
}
/** While a decision is pending the plan the decision maker sees does not change (opinions excepted). */
export class PlanAwaitingDecision extends DomainError {
  readonly code = 'PLAN.AWAITING_DECISION';
  readonly kind = 'conflict';
}
/** After a decision only corrections, actions and evaluations are recorded; new content needs a new plan version. */
export class PlanContentFrozen extends DomainError {
  readonly code = 'PLAN.CONTENT_FROZEN';
  readonly kind = 'conflict';
}
export class StepAlreadyRecorded extends DomainError {
  readonly code = 'PLAN.STEP_ALREADY_RECORDED';
  readonly kind = 'conflict';
}
export class CorrectionTargetNotFound extends DomainError {
  readonly code = 'PLAN.CORRECTION_TARGET_NOT_FOUND';
  readonly kind = 'conflict';
}
export class DuplicateId extends DomainError {
  readonly code = 'PLAN.DUPLICATE_ID';
  readonly kind = 'conflict';
}
export class DoorbraakNotFound extends DomainError {
  readonly code = 'PLAN.DOORBRAAK_NOT_FOUND';
  readonly kind = 'not_found';
}
export class CostLineNotFound extends DomainError {
  readonly code = 'PLAN.COST_LINE_NOT_FOUND';
  readonly kind = 'not_found';
}
export class ActionNotFound extends DomainError {
  readonly code = 'PLAN.ACTION_NOT_FOUND';
  readonly kind = 'not_found';
}
export class ActionAlreadyCompleted extends DomainError {
  readonly code = 'PLAN.ACTION_ALREADY_COMPLETED';
  readonly kind = 'conflict';
}
export class EvaluationNotScheduled extends DomainError {
  readonly code = 'PLAN.EVALUATION_NOT_SCHEDULED';
  readonly kind = 'conflict';
}
export class PlanIncomplete extends DomainError {
  readonly code = 'PLAN.INCOMPLETE';
  readonly kind = 'conflict';
  constructor(readonly missing: readonly string[]) {
    super(`the plan cannot be submitted yet: ${missing.join('; ')}`);
  }
}
export class PlanNotAwaitingDecision extends DomainError {
  readonly code = 'PLAN.NOT_AWAITING_DECISION';
  readonly kind = 'conflict';
}
export class PlanNotApproved extends DomainError {
  readonly code = 'PLAN.NOT_APPROVED';
  readonly kind = 'conflict';
}
export class DecisionDateInvalid extends DomainError {
  readonly code = 'DECISION.DATE_INVALID';
  readonly kind = 'conflict';
}
export class DecisionBelowEscalation extends DomainError {
  readonly code = 'DECISION.BELOW_ESCALATION';
  readonly kind = 'conflict';
}
/** The decision maker's mandate does not cover the decision; `requiredAuthority` is whom to escalate to. */
export class DecisionBeyondMandate extends DomainError {
  readonly code = 'DECISION.BEYOND_MANDATE';
  readonly kind = 'conflict';
  constructor(
    message: string,
    readonly requiredAuthority: DecisionRole | undefined,
  ) {
    super(
      `${message}; ${requiredAuthority ? `the decision requires a ${requiredAuthority}: escalate to the ${requiredAuthority}` : 'no mandate in the register covers it: escalate to the college'}`,
      'mandateId',
    );
  }
}
