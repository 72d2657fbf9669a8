import type { LedgerEvent, MandateEvent } from '@doorbraak/domain';
import { type JsonObject, type Projection, type RecordedEvent, defineProjection } from '@doorbraak/event-store';
import { eventRef, ledgerEvent, planEventTypes } from '../shared/ledger-event';

/** What an auditor sees of an event: the facts, never the personal narrative (only that there was one). */
function facts(event: LedgerEvent): JsonObject {
  const { personal, planId: _planId, ...rest } = event.data as Record<string, unknown> & { personal?: unknown };
  return { ...(rest as JsonObject), ...(personal ? { personalRecorded: true } : {}) };
}

/** The mandate as it stood on a day, from its history row. */
function mandateOn(row: JsonObject | null, on: string): JsonObject | null {
  if (!row) return null;
  const revokedOn = row['revokedOn'] as string | undefined;
  return { ...(row['granted'] as JsonObject), ...(revokedOn ? { revokedOn } : {}), inForceOnDecisionDate: (row['granted'] as { validFrom: string }).validFrom <= on && (!revokedOn || on < revokedOn) };
}

const mandateKey = (tenant: string, mandateId: string) => `mandate:${tenant}:${mandateId}`;

/**
 * Per plan the chronological chain from the blocking rule to the decision and after: rules and their purpose,
 * exception grounds, other rules, opinions and dissent, escalations, the decision with the decision maker, on
 * whose behalf and the mandate as it stood that day, corrections, each with its place in the log. Mandates
 * are kept as rows of their own (`mandate:<tenant>:<id>`) so a decision can show the one it used.
 */
export const auditTrailProjection = defineProjection<JsonObject>({
  name: 'audit_trail',
  version: 1,
  personalData: false,
  filter: { categories: ['plan', 'mandates'], types: [...planEventTypes, 'MandateGranted', 'MandateRevoked'] },
  keysOf: (e: RecordedEvent) => (e.category === 'plan' ? [`plan:${e.data['planId']}`] : [mandateKey(e.metadata.tenant, e.data['mandateId'] as string)]),
  lookups: (e: RecordedEvent) => (e.type === 'PlanDecided' ? [mandateKey(e.metadata.tenant, e.data['mandateId'] as string)] : []),
  evolve(row, event, _key, lookup): JsonObject | null {
    const domainEvent = ledgerEvent(event);
    if (event.category === 'mandates') {
      const m = domainEvent as MandateEvent;
      return m.type === 'MandateGranted' ? { granted: m.data as unknown as JsonObject, grantedAt: eventRef(event) } : row && { ...row, revokedOn: m.data.revokedOn, revokedAt: eventRef(event) };
    }
    const data = domainEvent.data as { doorbraakId?: string; doorbraakIds?: string[]; correction?: JsonObject };
    const entry: JsonObject = {
      ...eventRef(event),
      actor: event.metadata.actor,
      ...(event.metadata.onBehalfOf ? { onBehalfOf: event.metadata.onBehalfOf } : {}),
      correlationId: event.metadata.correlationId,
      ...(data.doorbraakId ? { doorbraakId: data.doorbraakId } : {}),
      facts: facts(domainEvent),
      ...(domainEvent.type === 'PlanDecided' ? { mandate: mandateOn(lookup(mandateKey(event.metadata.tenant, domainEvent.data.mandateId)), domainEvent.data.decidedOn) } : {}),
    };
    const base = row ?? { planId: event.data['planId'] as string, tenant: event.metadata.tenant, entries: [] };
    return { ...base, entries: [...(base['entries'] as JsonObject[]), entry] };
  },
  columns: ["tenant text GENERATED ALWAYS AS (doc->>'tenant') STORED"],
}) as Projection;
