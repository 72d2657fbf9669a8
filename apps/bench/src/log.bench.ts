import { type EventStore, type LogPosition, START } from '@doorbraak/event-store';
import { type MerkleLog, leafBytes } from '@doorbraak/merkle-log';
import type { SqlClient } from '@doorbraak/sql';
import { createHash } from 'node:crypto';
import { timed } from './measure';

export interface LogFigures {
  readonly integrateSeconds: number;
  readonly verifySeconds: number;
  readonly verified: boolean;
  /** Plain SHA-256 over the bytes of every leaf, nothing else. */
  readonly sha256Seconds: number;
}

/** Integrates the whole log, signs a checkpoint, verifies it all, and hashes the same leaf bytes plainly. */
export async function measureLog(log: MerkleLog, store: EventStore, client: SqlClient, schema: string): Promise<LogFigures> {
  const integrate = await timed(() => log.integrateAll());
  await log.checkpoint('bench');
  const verify = await timed(() => log.verify());
  return { integrateSeconds: integrate.seconds, verifySeconds: verify.seconds, verified: verify.result.ok, sha256Seconds: await hashLeaves(store, client, schema) };
}

/** Seconds spent in SHA-256 alone over the canonical bytes of every leaf (built outside the timing). */
async function hashLeaves(store: EventStore, client: SqlClient, schema: string): Promise<number> {
  const { rows } = await client.query<{ event_id: string; personal_commitment: string | null }>(`SELECT event_id::text, personal_commitment FROM ${schema}.log_entries`);
  const commitments = new Map(rows.map((r) => [r.event_id, r.personal_commitment]));
  let hashing = 0;
  let index = 0;
  for (let after: LogPosition = START; ; ) {
    const page = await store.readAll({ after, limit: 5_000 });
    if (page.events.length === 0) return hashing / 1000;
    const leaves = page.events.map((event) => leafBytes(event, index++, commitments.get(event.eventId) ?? null));
    const t0 = performance.now();
    for (const leaf of leaves) createHash('sha256').update(leaf).digest();
    hashing += performance.now() - t0;
    after = page.scannedTo;
  }
}
