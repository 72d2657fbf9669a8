import { type JsonObject, defineProjection } from '@doorbraak/event-store';
import { ledgerEvent } from '../shared/ledger-event';

/**
 * The access log as the logbeheerder and a data subject's request need it: one row per access with the BIO
 * 8.15.01 and NEN 7513 fields, findable by household and by employee. Holds employees' identities: personal.
 */
export const accessLogProjection = defineProjection<JsonObject>({
  name: 'access_log',
  version: 1,
  personalData: true,
  filter: { categories: ['access'], types: ['PersonalDataAccessed'] },
  keysOf: (e) => [e.eventId],
  evolve(_row, event) {
    const access = ledgerEvent(event);
    if (access.type !== 'PersonalDataAccessed') return null;
    const { accessId: _id, ...entry } = access.data;
    return {
      at: event.recordedAt.toISOString(),
      tenant: event.metadata.tenant,
      actor: event.metadata.actor,
      onBehalfOf: event.metadata.onBehalfOf ?? null,
      ...entry,
      eventId: event.eventId,
    };
  },
  columns: [
    "tenant text GENERATED ALWAYS AS (doc->>'tenant') STORED",
    "at text GENERATED ALWAYS AS (doc->>'at') STORED",
    "actor text GENERATED ALWAYS AS (doc->>'actor') STORED",
    "household_ids jsonb GENERATED ALWAYS AS (doc->'householdIds') STORED",
  ],
  indexes: [['tenant', 'at'], ['tenant', 'actor', 'at'], ['USING gin (household_ids)']],
});

export interface AccessLogFilter {
  readonly tenant: string;
  readonly householdId?: string;
  readonly actor?: string;
  /** Inclusive, ISO date or time. */
  readonly from?: string;
  /** Exclusive, ISO date or time. */
  readonly to?: string;
  readonly limit: number;
}

/** Accesses in time order, for one household or one employee or a period. */
export function accessLogQuery(table: string, f: AccessLogFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.tenant];
  const where = ['tenant = $1'];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (f.householdId) add((n) => `household_ids @> jsonb_build_array(${n}::text)`, f.householdId);
  if (f.actor) add((n) => `actor = ${n}`, f.actor);
  if (f.from) add((n) => `at >= ${n}`, f.from);
  if (f.to) add((n) => `at < ${n}`, f.to);
  params.push(f.limit);
  return { sql: `SELECT doc FROM ${table} WHERE ${where.join(' AND ')} ORDER BY at, key LIMIT $${params.length}`, params };
}
