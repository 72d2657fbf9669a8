import { ERASED_PERSONAL, type PlanEvent, replacePersonal } from '@doorbraak/domain';
import { type JsonObject, defineProjection } from '@doorbraak/event-store';
import { ledgerEvent, planEventTypes } from '../shared/ledger-event';
import { type PlanView, evolvePlanView, withTotals } from './plan-view';

const householdTypes = ['HouseholdOpened', 'RegieAssigned', 'HouseholdClosed', 'HouseholdDataErased'];

/** Normalised citation, so that "Participatiewet art. 41 lid 4" and "participatiewet  art. 41 lid 4" compare equal. */
export function citationKey(citation: string): string {
  return citation.toLowerCase().replace(/\s+/g, ' ').trim();
}

function withListFields(view: PlanView): JsonObject {
  const doorbraken = view.doorbraken as { interventionType: string; targetGroup: string; legitimiteit: { current: { rules: { citation: string; law: string }[] } } | null }[];
  const lines = (view.rendement as { costLines: { fundingSource: string; withdrawn: boolean }[] }).costLines;
  const rules = doorbraken.flatMap((d) => d.legitimiteit?.current.rules ?? []);
  return {
    kind: 'plan',
    ...view,
    interventionTypes: [...new Set(doorbraken.map((d) => d.interventionType))],
    targetGroups: [...new Set(doorbraken.map((d) => d.targetGroup))],
    laws: [...new Set([...lines.filter((l) => !l.withdrawn).map((l) => l.fundingSource), ...rules.map((r) => r.law)])],
    citationKeys: [...new Set(rules.map((r) => citationKey(r.citation)))],
  };
}

/**
 * Every plan with every step, doorbraak, decision and action (key `plan:<id>`), and every household with its
 * regisseur (key `household:<id>`), so that plans can be listed by municipality, status, regisseur, law,
 * intervention type and overdue actions. Erasing a household's personal data erases it here too.
 */
export const currentPlansProjection = defineProjection<JsonObject>({
  name: 'current_plans',
  version: 2,
  personalData: true,
  readsPersonal: true,
  filter: { categories: ['plan', 'household'], types: [...planEventTypes, ...householdTypes] },
  keysOf: (e) =>
    e.category === 'plan'
      ? [`plan:${e.data['planId']}`]
      : [`household:${e.data['householdId']}`, ...(e.type === 'HouseholdDataErased' ? (e.data['planIds'] as string[]).map((id) => `plan:${id}`) : [])],
  lookups: (e) => (e.type === 'PlanDrafted' ? [`household:${e.data['householdId']}`] : []),
  evolve(row, event, _key, lookup): JsonObject | null {
    const domainEvent = ledgerEvent(event);
    switch (domainEvent.type) {
      case 'HouseholdOpened':
        return { kind: 'household', householdId: domainEvent.data.householdId, tenant: event.metadata.tenant, reference: domainEvent.data.reference, regisseur: domainEvent.data.regisseur, status: 'open' };
      case 'RegieAssigned':
        return row ? { ...row, regisseur: { professionalId: domainEvent.data.professionalId, role: domainEvent.data.role } } : null;
      case 'HouseholdClosed':
        return row ? { ...row, status: 'closed' } : null;
      case 'HouseholdDataErased':
        // The household row and every plan row of the household lose their narrative; facts and totals stay.
        return row && { ...replacePersonal(row, ERASED_PERSONAL), ...(row['kind'] === 'household' ? { status: 'erased' } : {}) };
      default: {
        const household = domainEvent.type === 'PlanDrafted' ? lookup(`household:${domainEvent.data.householdId}`) : null;
        const householdReference = household ? (household['reference'] as string) : undefined;
        return evolvePlanView(row as PlanView | null, domainEvent as PlanEvent, { tenant: event.metadata.tenant, streamVersion: event.streamVersion, recordedAt: event.recordedAt, ...(householdReference ? { householdReference } : {}) });
      }
    }
  },
  settle: (row) => (row['kind'] === 'household' ? row : withListFields(withTotals(row as PlanView))),
  columns: [
    "kind text GENERATED ALWAYS AS (doc->>'kind') STORED",
    "tenant text GENERATED ALWAYS AS (doc->>'tenant') STORED",
    "status text GENERATED ALWAYS AS (doc->>'status') STORED",
    "household_id text GENERATED ALWAYS AS (doc->>'householdId') STORED",
    "laws jsonb GENERATED ALWAYS AS (doc->'laws') STORED",
    "intervention_types jsonb GENERATED ALWAYS AS (doc->'interventionTypes') STORED",
    "citation_keys jsonb GENERATED ALWAYS AS (doc->'citationKeys') STORED",
  ],
  indexes: [['tenant', 'kind', 'status'], ['household_id'], ['USING gin (laws)'], ['USING gin (intervention_types)'], ['USING gin (citation_keys)']],
});
