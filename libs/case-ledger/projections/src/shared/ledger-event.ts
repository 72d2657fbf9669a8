import { CURRENT_SCHEMA_VERSION, type LedgerEvent, parseLedgerEvent } from '@doorbraak/domain';
import type { RecordedEvent } from '@doorbraak/event-store';

/**
 * The domain event inside a stored envelope, trusted: the store validated it against its schema when it was
 * appended, so an event of the current schema version is taken as it is, without a second validation. An older
 * version goes through `parseLedgerEvent`, the one place where upcasters apply.
 */
export function ledgerEvent(event: RecordedEvent): LedgerEvent {
  if (event.schemaVersion !== CURRENT_SCHEMA_VERSION) return parseLedgerEvent(event.type, event.schemaVersion, event.data);
  return { type: event.type, data: event.data } as unknown as LedgerEvent;
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
