import { type JsonObject, type Projection, defineProjection } from '@doorbraak/event-store';
import { ledgerEvent } from '../shared/ledger-event';

const types = ['PlanDrafted', 'DoorbraakDefined', 'PlanSubmittedForDecision', 'PlanDecided', 'EvaluationRecorded', 'PlanClosed', 'PlanReplaced'];
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/**
 * One pseudonymised row per plan for analytics teams: month, intervention types and target groups, lead time,
 * decision outcome and evaluation outcomes. No household, no names, no narrative; safe to subscribe to.
 */
export const planAnalyticsProjection = defineProjection<JsonObject>({
  name: 'plan_analytics',
  version: 1,
  personalData: false,
  filter: { categories: ['plan'], types },
  keysOf: (e) => [`plan:${e.data['planId']}`],
  evolve(row, e): JsonObject | null {
    const event = ledgerEvent(e);
    if (event.type === 'PlanDrafted') {
      return { tenant: e.metadata.tenant, planId: event.data.planId, month: event.data.draftedOn.slice(0, 7), planVersion: event.data.planVersion, status: 'draft', doorbraken: [], submittedOn: null, decidedOn: null, leadTimeDays: null, outcome: null, evaluationOutcomes: [], closeReason: null };
    }
    if (!row) return null;
    switch (event.type) {
      case 'DoorbraakDefined':
        return { ...row, doorbraken: [...(row['doorbraken'] as JsonObject[]), { interventionType: event.data.interventionType, targetGroup: event.data.targetGroup }] };
      case 'PlanSubmittedForDecision':
        return { ...row, status: 'submitted', submittedOn: event.data.submittedOn };
      case 'PlanDecided':
        return { ...row, status: event.data.outcome === 'rejected' ? 'rejected' : 'approved', decidedOn: event.data.decidedOn, outcome: event.data.outcome, leadTimeDays: row['submittedOn'] ? days(row['submittedOn'] as string, event.data.decidedOn) : null };
      case 'EvaluationRecorded':
        return { ...row, evaluationOutcomes: [...(row['evaluationOutcomes'] as string[]), event.data.outcome] };
      case 'PlanClosed':
        return { ...row, status: 'closed', closeReason: event.data.reason };
      case 'PlanReplaced':
        return { ...row, status: 'replaced', closeReason: 'replanned' };
      default:
        return row;
    }
  },
  columns: ["tenant text GENERATED ALWAYS AS (doc->>'tenant') STORED"],
  indexes: [['tenant']],
}) as Projection;
