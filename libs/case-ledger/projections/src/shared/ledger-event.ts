import { type LedgerEvent, parseLedgerEvent } from '@doorbraak/domain';
import type { RecordedEvent } from '@doorbraak/event-store';

/** The domain event inside an envelope, parsed against its schema. */
export function ledgerEvent(event: RecordedEvent): LedgerEvent {
  return parseLedgerEvent(event.type, event.schemaVersion, event.data);
}

/** Where an event stands, for drill-down from any row back to the events behind it. */
export function eventRef(event: RecordedEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    streamVersion: Number(event.streamVersion),
    globalPosition: event.globalPosition.toString(),
    logPosition: event.logPosition,
    recordedAt: event.recordedAt.toISOString(),
  };
}

export const planEventTypes = [
  'PlanDrafted', 'SituatieschetsRecorded', 'ToekomstperspectiefRecorded', 'OverzichtRecorded', 'DoorbraakDefined', 'LegitimiteitRecorded',
  'BetrokkenheidRecorded', 'ProfessionalOpinionRecorded', 'WegingRecorded', 'RendementPeriodSet', 'CostLineAdded', 'CostLineCorrected',
  'CostLineWithdrawn', 'DreigendScenarioEndorsed', 'ActionPlanned', 'ActionCompleted', 'VangnetRecorded', 'EvaluationScheduled',
  'EvaluationRecorded', 'PlanSubmittedForDecision', 'PlanEscalated', 'PlanDecided', 'PlanExecutionStarted', 'PlanClosed', 'PlanReplaced',
] as const;
