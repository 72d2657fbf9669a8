import { anEvent } from '@doorbraak/event-store-contract';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { untilVisible } from '@doorbraak/event-store';
import { generateSigningKey, parseCheckpoint, rootFromLeafHashes, tilesOf, verifyCheckpoint, verifyConsistency, verifyInclusion } from '@doorbraak/merkle';
import { type SqlClient, migrate } from '@doorbraak/sql';
import { uniqueSchema } from '@doorbraak/testing';
import { createHash, randomUUID } from 'node:crypto';
import { leafBytes } from './leaf';
import { InconsistentCheckpointError, MerkleLog } from './merkle-log';
import { merkleLogSchema, merkleTilesSchema } from './merkle-log.migration';

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

    it('refuses to sign a checkpoint when the stored tree no longer extends the previous one', async () => {
      await append(env.store, 3);
      await env.log.integrateAll();
      await env.log.checkpoint('test');
      await append(env.store, 1);
      await env.log.integrateAll();
      await env.client.query(`UPDATE ${env.schema}.log_tiles SET hashes = overlay(hashes PLACING $1 FROM 33) WHERE level = 0 AND tile_index = 0`, [Buffer.alloc(32, 7)]);
      await expect(env.log.checkpoint('again')).rejects.toBeInstanceOf(InconsistentCheckpointError);
    });

    it('stores the tree as tlog-tiles that grow with the log and serve the proofs', async () => {
      await append(env.store, 150);
      await env.log.integrateAll();
      const status = await env.log.status();
      const hashes = (await env.client.query<{ leaf_hash: Buffer }>(`SELECT leaf_hash FROM ${env.schema}.log_entries ORDER BY log_index`)).rows.map((r) => Buffer.from(r.leaf_hash));
      const stored = (await env.client.query<{ level: number; tile_index: string; hashes: Buffer }>(`SELECT level, tile_index::text, hashes FROM ${env.schema}.log_tiles ORDER BY level, tile_index`)).rows;
      expect(stored.map((t) => ({ level: t.level, index: Number(t.tile_index), hashes: Buffer.from(t.hashes) }))).toEqual(tilesOf(hashes));
      expect(await env.log.tile({ level: 1, index: 0, width: 1 })).toEqual(tilesOf(hashes)[2]!.hashes);
      expect(await env.log.tile({ level: 0, index: 1, width: 45 })).toBeUndefined();
      expect(rootFromLeafHashes(hashes).toString('base64')).toBe(status.root);
    });

    it('builds the tiles of a log that was integrated before the tree was stored as tiles', async () => {
      const client = await connect();
      const schema = uniqueSchema('log');
      try {
        await migrate(client, schema, [merkleLogSchema]);
        const hashes = Array.from({ length: 256 * 2 + 9 }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest());
        await client.query(`INSERT INTO ${schema}.log_entries (log_index, event_id, leaf_hash) SELECT i - 1, gen_random_uuid(), h FROM unnest($1::bytea[]) WITH ORDINALITY AS t(h, i)`, [hashes]);
        await migrate(client, schema, [merkleLogSchema, merkleTilesSchema]);
        const stored = (await client.query<{ level: number; tile_index: string; hashes: Buffer }>(`SELECT level, tile_index::text, hashes FROM ${schema}.log_tiles ORDER BY level, tile_index`)).rows;
        expect(stored.map((t) => ({ level: t.level, index: Number(t.tile_index), hashes: Buffer.from(t.hashes) }))).toEqual(tilesOf(hashes));
      } finally {
        await client.close();
      }
    });

    it('names a stored tile that was rewritten', async () => {
      await append(env.store, 140);
      await env.log.integrateAll();
      await env.log.checkpoint('test');
      // A level-1 hash stands for leaves 256 to 511; whoever rewrites it must not get past verify.
      await env.client.query(`UPDATE ${env.schema}.log_tiles SET hashes = overlay(hashes PLACING $1 FROM 1) WHERE level = 1 AND tile_index = 0`, [Buffer.alloc(32, 9)]);
      expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 0, problem: expect.stringContaining('stored tile tile/1/000.p/1 differs at hash 0') });
    });
  });

  return { setup };
}
