import { anEvent } from '@doorbraak/event-store-contract';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { untilVisible } from '@doorbraak/event-store';
import { generateSigningKey, parseCheckpoint, verifyCheckpoint, verifyConsistency, verifyInclusion } from '@doorbraak/merkle';
import type { SqlClient } from '@doorbraak/sql';
import { uniqueSchema } from '@doorbraak/testing';
import { randomUUID } from 'node:crypto';
import { leafBytes } from './leaf';
import { InconsistentCheckpointError, MerkleLog } from './merkle-log';

/** The checkpoint key of these tests (an operator's key: whoever holds it can sign anything). */
export const testSigningKey = generateSigningKey('ledger.gm9001.test');
const key = testSigningKey;

/** The store and the log of these tests in `schema` (small pages, so that paging is exercised). */
export function logIn(client: SqlClient, schema: string): { store: PostgresEventStore; log: MerkleLog } {
  const store = new PostgresEventStore({ client, schema });
  return { store, log: new MerkleLog({ store, client, schema, origin: 'ledger.gm9001.test/doorbraak', signer: key, vkey: key.vkey, batchSize: 7 }) };
}

/** The log on one backend: integration, checkpoints, proofs and verification of an honest log. */
export function describeMerkleLog(connect: () => Promise<SqlClient>): { setup: () => Promise<{ client: SqlClient; store: PostgresEventStore; log: MerkleLog; schema: string }> } {
  const setup = async () => {
    const client = await connect();
    const schema = uniqueSchema('log');
    const { store, log } = logIn(client, schema);
    await store.migrate();
    await log.migrate();
    return { client, store, log, schema };
  };
  const append = async (store: PostgresEventStore, n: number) => {
    let last = '';
    for (let i = 0; i < n; i++) {
      ({ logPosition: last } = await store.append(`plan-${randomUUID()}`, [anEvent({ data: { amount: `${i}.00`, personal: { narrative: `household story ${i}` } } }), anEvent()], 'no_stream'));
    }
    await untilVisible(store, last);
  };

  describe('the Merkle log', () => {
    let env: Awaited<ReturnType<typeof setup>>;
    beforeEach(async () => {
      env = await setup();
    });
    afterEach(() => env.client.close());

    it('gives every event a gap-free index in global read order, leaves without personal data', async () => {
      await append(env.store, 10);
      await env.log.integrateAll();
      const status = await env.log.status();
      const events = (await env.store.readAll({ after: '00000000000000000000-00000000000000000000' as never, limit: 100 })).events;
      expect(status.size).toBe(events.length);
      const { rows } = await env.client.query<{ event_id: string }>(`SELECT event_id::text FROM ${env.schema}.log_entries ORDER BY log_index`);
      expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
      expect(leafBytes(events[0]!, 0, 'c').toString()).not.toContain('household story');
    });

    it('signs checkpoints that verify, and proves inclusion and consistency', async () => {
      await append(env.store, 5);
      await env.log.integrateAll();
      const first = parseCheckpoint(await env.log.checkpoint('test'));
      await append(env.store, 6);
      await env.log.integrateAll();
      const second = verifyCheckpoint(await env.log.checkpoint('close of month'), key.vkey);
      expect(second.size).toBe(22);
      const events = (await env.store.readAll({ after: '00000000000000000000-00000000000000000000' as never, limit: 100 })).events;
      const target = events[13]!;
      const proof = await env.log.inclusionProof(target.eventId);
      expect(proof).toMatchObject({ logIndex: 13, treeSize: 22 });
      const buffers = proof.proof.map((p) => Buffer.from(p, 'base64'));
      expect(verifyInclusion(13, 22, Buffer.from(proof.leafHash, 'base64'), buffers, second.root)).toEqual({ ok: true });
      const consistency = (await env.log.consistencyProof(first.size, second.size)).map((p) => Buffer.from(p, 'base64'));
      expect(verifyConsistency(first.size, second.size, consistency, first.root, second.root)).toEqual({ ok: true });
    });

    it('verifies an honest log against its latest checkpoint', async () => {
      await append(env.store, 4);
      await env.log.integrateAll();
      await env.log.checkpoint('test');
      await append(env.store, 2);
      await env.log.integrateAll();
      expect(await env.log.verify()).toEqual({ ok: true, size: 12, checkpointSize: 8, pending: 0 });
    });

    it('takes every event once when several integrators run at the same time', async () => {
      await append(env.store, 15);
      const others = [1, 2].map(() => new MerkleLog({ store: env.store, client: env.client, schema: env.schema, origin: 'ledger.gm9001.test/doorbraak', signer: key, vkey: key.vkey, batchSize: 4 }));
      await Promise.all([env.log.integrateAll(), ...others.map((log) => log.integrateAll())]);
      await env.log.checkpoint('after a race');
      expect(await env.log.verify()).toEqual({ ok: true, size: 30, checkpointSize: 30, pending: 0 });
    });

    it('refuses to sign a checkpoint that does not extend the previous one', async () => {
      await append(env.store, 3);
      await env.log.integrateAll();
      await env.log.checkpoint('test');
      await env.client.query(`UPDATE ${env.schema}.log_entries SET leaf_hash = $1 WHERE log_index = 1`, [Buffer.alloc(32, 7)]);
      await expect(env.log.checkpoint('again')).rejects.toBeInstanceOf(InconsistentCheckpointError);
    });
  });

  return { setup };
}
