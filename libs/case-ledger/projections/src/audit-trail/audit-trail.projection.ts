import type { LedgerEvent, MandateEvent } from '@doorbraak/domain';
import { type JsonObject, type Projection, type RecordedEvent, defineProjection } from '@doorbraak/event-store';
import { doorbraakLabel, planLabel } from '../shared/labels';
import { eventRef, ledgerEvent, planEventTypes } from '../shared/ledger-event';

/** What an auditor sees of an event: the facts, never its free text or narrative (only that there was some). */
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
const householdKey = (tenant: string, householdId: string) => `household:${tenant}:${householdId}`;

/** The labels an auditor reads instead of titles: the plan's, and each doorbraak's as it is defined. */
function labelsOf(event: LedgerEvent, row: JsonObject | null, household: JsonObject | null): JsonObject {
  if (event.type === 'PlanDrafted') return { label: planLabel((household?.['reference'] as string | undefined) ?? event.data.householdId, event.data.planVersion) };
  if (event.type !== 'DoorbraakDefined' || !row) return {};
  const defined = (row['entries'] as JsonObject[]).filter((e) => e['type'] === 'DoorbraakDefined').length;
  return { label: doorbraakLabel(row['label'] as string, defined + 1, event.data.interventionType) };
}

/**
 * Per plan the chronological chain from the blocking rule to the decision and after: rules and their legal
 * citations, exception grounds, other rules, opinions and dissent, escalations, the decision with the decision
 * maker, on whose behalf and the mandate as it stood that day, corrections, each with its place in the log. It
 * holds no free text: the plan and each doorbraak carry a label made of the household's pseudonymous reference
 * and codes. Mandates (`mandate:<tenant>:<id>`) and households' references (`household:<tenant>:<id>`) are
 * kept as rows of their own so a decision can show the mandate it used and a plan its label.
 */
export const auditTrailProjection = defineProjection<JsonObject>({
  name: 'audit_trail',
  version: 2,
  personalData: false,
  filter: { categories: ['plan', 'mandates', 'household'], types: [...planEventTypes, 'MandateGranted', 'MandateRevoked', 'HouseholdOpened'] },
  keysOf: (e: RecordedEvent) =>
    e.category === 'plan'
      ? [`plan:${e.data['planId']}`]
      : e.category === 'household'
        ? [householdKey(e.metadata.tenant, e.data['householdId'] as string)]
        : [mandateKey(e.metadata.tenant, e.data['mandateId'] as string)],
  lookups: (e: RecordedEvent) =>
    e.type === 'PlanDecided'
      ? [mandateKey(e.metadata.tenant, e.data['mandateId'] as string)]
      : e.type === 'PlanDrafted'
        ? [householdKey(e.metadata.tenant, e.data['householdId'] as string)]
        : [],
  evolve(row, event, _key, lookup): JsonObject | null {
    const domainEvent = ledgerEvent(event);
    if (domainEvent.type === 'HouseholdOpened') return { reference: domainEvent.data.reference };
    if (event.category === 'mandates') {
      const m = domainEvent as MandateEvent;
      return m.type === 'MandateGranted' ? { granted: m.data as unknown as JsonObject, grantedAt: eventRef(event) } : row && { ...row, revokedOn: m.data.revokedOn, revokedAt: eventRef(event) };
    }
    const data = domainEvent.data as { doorbraakId?: string; doorbraakIds?: string[]; correction?: JsonObject };
    const labels = labelsOf(domainEvent, row, domainEvent.type === 'PlanDrafted' ? lookup(householdKey(event.metadata.tenant, domainEvent.data.householdId)) : null);
    const entry: JsonObject = {
      ...eventRef(event),
      actor: event.metadata.actor,
      ...(event.metadata.onBehalfOf ? { onBehalfOf: event.metadata.onBehalfOf } : {}),
      correlationId: event.metadata.correlationId,
      ...(data.doorbraakId ? { doorbraakId: data.doorbraakId } : {}),
      ...labels,
      facts: facts(domainEvent),
      ...(domainEvent.type === 'PlanDecided' ? { mandate: mandateOn(lookup(mandateKey(event.metadata.tenant, domainEvent.data.mandateId)), domainEvent.data.decidedOn) } : {}),
    };
    const base = row ?? { planId: event.data['planId'] as string, tenant: event.metadata.tenant, ...labels, entries: [] };
    return { ...base, entries: [...(base['entries'] as JsonObject[]), entry] };
  },
  columns: ["tenant text GENERATED ALWAYS AS (doc->>'tenant') STORED"],
}) as Projection;
