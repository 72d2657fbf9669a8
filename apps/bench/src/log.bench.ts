import { type EventStore, type LogPosition, START } from '@doorbraak/event-store';
import { type MerkleLog, leafBytes } from '@doorbraak/merkle-log';
import type { SqlClient } from '@doorbraak/sql';
import { hash } from 'node:crypto';
import { type Latencies, percentiles, timed } from './measure';

export interface LogFigures {
  /** Events the integrator took in at this size (those added since the previous size). */
  readonly integrated: number;
  readonly integrateSeconds: number;
  /** Events in the log, all of them verified. */
  readonly size: number;
  readonly verifySeconds: number;
  readonly verified: boolean;
  /** Plain SHA-256 over the bytes of every leaf, nothing else. */
  readonly sha256Seconds: number;
  readonly inclusion: Latencies;
  readonly consistency: Latencies;
}

/**
 * Integrates what was added since the last call, signs a checkpoint, verifies the whole log, hashes the same
 * leaf bytes plainly, and asks for `samples` inclusion proofs of random events and consistency proofs from
 * random sizes to the checkpoint.
 */
export async function measureLog(log: MerkleLog, store: EventStore, client: SqlClient, schema: string, samples: number): Promise<LogFigures> {
  const before = (await log.status()).size;
  const integrate = await timed(() => log.integrateAll());
  await log.checkpoint('bench');
  const verify = await timed(() => log.verify());
  const { size } = verify.result;
  const { rows } = await client.query<{ event_id: string }>(`SELECT event_id::text FROM ${schema}.log_entries ORDER BY random() LIMIT $1`, [samples]);
  const inclusion = await latencies(rows.map((r) => () => log.inclusionProof(r.event_id, size)));
  const consistency = await latencies(Array.from({ length: samples }, () => () => log.consistencyProof(1 + Math.floor(Math.random() * size), size)));
  return {
    integrated: size - before,
    integrateSeconds: integrate.seconds,
    size,
    verifySeconds: verify.seconds,
    verified: verify.result.ok,
    sha256Seconds: await hashLeaves(store, client, schema),
    inclusion,
    consistency,
  };
}

async function latencies(operations: readonly (() => Promise<unknown>)[]): Promise<Latencies> {
  const samples: number[] = [];
  for (const operation of operations) {
    const t0 = performance.now();
    await operation();
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

/** Seconds spent in SHA-256 alone (Node's one-shot `hash`) over the canonical bytes of every leaf (built outside the timing). */
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
    for (const leaf of leaves) hash('sha256', leaf, 'buffer');
    hashing += performance.now() - t0;
    after = page.scannedTo;
  }
}
