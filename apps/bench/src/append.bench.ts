import type { EventStore, EventToAppend, JsonObject, LogPosition } from '@doorbraak/event-store';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import type { Municipality } from './import.bench';
import { type RateFigures, closedLoop } from './measure';

/** A writer's plan takes this many events (a draft, then cost lines) before the writer starts the next plan. */
export const EVENTS_PER_PLAN = 25;

export const COST_LINE = {
  description: 'Bijstand (levensonderhoud)',
  unit: 'maand',
  unitPrice: '1052.32',
  quantities: { huidig: '3', dreigend: '3', doorbraak: '4' },
  fundingSource: 'participatiewet',
  priceSource: 'norm',
};

interface NextAppend {
  readonly streamId: string;
  readonly event: EventToAppend;
  /** The stream's version before this event. */
  readonly expected: bigint;
}

/**
 * The events a caseworker writes, one at a time: a plan drafted for a household of the municipality, then cost
 * lines, a new plan every `EVENTS_PER_PLAN` events. Every append benchmark writes this same sequence.
 */
function planEvents(where: Municipality): () => NextAppend {
  let planId = '';
  let version = 0n;
  return () => {
    if (version % BigInt(EVENTS_PER_PLAN) === 0n) {
      planId = randomUUID();
      version = 0n;
    }
    const data: JsonObject =
      version === 0n
        ? { planId, householdId: where.householdId, title: 'Doorbraakplan', draftedOn: '2026-02-03', planVersion: 1 }
        : { planId, costLineId: randomUUID(), ...COST_LINE };
    const event = {
      eventId: randomUUID(),
      type: version === 0n ? 'PlanDrafted' : 'CostLineAdded',
      schemaVersion: 1,
      data,
      metadata: { actor: 'bench', correlationId: randomUUID(), tenant: where.tenant },
    };
    const next = { streamId: `plan-${planId}`, event, expected: version };
    version += 1n;
    return next;
  };
}

/** One event per append through the store port, with the exact expected version; `committed` hears each append's position. */
export function storeAppends(store: EventStore, where: Municipality, writers: number, seconds: number, committed?: (position: LogPosition) => void): Promise<RateFigures> {
  return closedLoop(writers, seconds, async () => {
    const next = planEvents(where);
    return async () => {
      const { streamId, event, expected } = next();
      const { logPosition } = await store.append(streamId, [event], expected === 0n ? 'no_stream' : expected);
      committed?.(logPosition);
    };
  });
}

/** PostgreSQL's own rate for the same events: one single-row INSERT per transaction into a table without indexes. */
export async function singleRowInserts(connectionString: string, where: Municipality, writers: number, seconds: number): Promise<RateFigures> {
  const pool = new Pool({ connectionString, max: writers });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_single_row (stream_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL)');
    return await closedLoop(writers, seconds, async () => {
      const next = planEvents(where);
      return async () => {
        const { streamId, event } = next();
        await pool.query('INSERT INTO bench_single_row (stream_id, type, data, metadata) VALUES ($1, $2, $3, $4)', [streamId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)]);
      };
    });
  } finally {
    await pool.end();
  }
}

/** The same appends through Emmett's PostgreSQL event store, in a database of its own. */
export async function emmettAppends(connectionString: string, where: Municipality, writers: number, seconds: number): Promise<RateFigures> {
  const pool = new Pool({ connectionString, max: writers });
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
  try {
    await store.schema.migrate();
    return await closedLoop(writers, seconds, async () => {
      const next = planEvents(where);
      return async () => {
        const { streamId, event, expected } = next();
        await store.appendToStream(streamId, [{ type: event.type, data: event.data, metadata: event.metadata }], { expectedStreamVersion: expected });
      };
    });
  } finally {
    await store.close();
    await pool.end();
  }
}
