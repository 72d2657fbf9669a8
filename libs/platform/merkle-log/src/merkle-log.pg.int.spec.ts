import { anEvent } from '@doorbraak/event-store-contract';
import { START, type RecordedEvent, untilVisible } from '@doorbraak/event-store';
import { connectPostgres } from '@doorbraak/sql';
import { postgresUrl } from '@doorbraak/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { consistencyProof, leafHash, rootFromLeafHashes, signCheckpoint } from '@doorbraak/merkle';
import { describeMerkleLog, testSigningKey } from './merkle-log.behaviour';

const { setup } = describeMerkleLog(async () => connectPostgres({ connectionString: postgresUrl() }));

interface BundleResult {
  ok: boolean;
  check?: number;
  message?: string;
  logIndex?: number;
}
// The auditor's verifier is a standalone ES module; jest's CommonJS transform would turn import() into require().
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<{ verifyBundle(dir: string, options: { key: string }): BundleResult }>;
const verifierFile = join(__dirname, '../../../../infra/verifier/verify-audit-bundle.mjs');

describe('MerkleLog on PostgreSQL, against someone with write access to the database', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  let events: readonly RecordedEvent[];
  let vkey: string;
  const sql = (text: string, params: unknown[] = []) => env.client.query(text.replaceAll('$schema', env.schema), params);

  beforeEach(async () => {
    env = await setup();
    vkey = (env.log as unknown as { options: { vkey: string } }).options.vkey;
    let last = '';
    for (let i = 0; i < 6; i++) ({ logPosition: last } = await env.store.append(`plan-${randomUUID()}`, [anEvent({ data: { amount: `${i}.00`, personal: { narrative: `story ${i}` } } }), anEvent()], 'no_stream'));
    await untilVisible(env.store, last);
    await env.log.integrateAll();
    await env.log.checkpoint('period 2026-02');
    await untilVisible(env.store, (await env.store.append(`plan-${randomUUID()}`, [anEvent()], 'no_stream')).logPosition);
    await env.log.integrateAll();
    await env.log.auditBundle('2026-03');
    expect(await auditorVerdict()).toMatchObject({ ok: true });
    events = (await env.store.readAll({ after: START, limit: 100 })).events;
    // What an attacker with superuser rights does first: switch off the immutability guard.
    await sql('ALTER TABLE $schema.events DISABLE TRIGGER events_immutable');
  });
  afterEach(() => env.client.close());

  /** What an auditor receives for the period, written out and checked by the standalone verifier. */
  async function auditorVerdict(): Promise<BundleResult> {
    const bundle = await env.log.auditBundle('2026-03');
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    writeFileSync(join(dir, 'checkpoint.txt'), bundle.checkpoint);
    writeFileSync(join(dir, 'public-key.txt'), `${vkey}\n`);
    writeFileSync(join(dir, 'entries.jsonl'), Buffer.concat(bundle.entries.flatMap((e) => [e, Buffer.from('\n')])));
    if (bundle.previousCheckpoint) writeFileSync(join(dir, 'previous-checkpoint.txt'), bundle.previousCheckpoint);
    if (bundle.consistencyProof) writeFileSync(join(dir, 'consistency-proof.json'), JSON.stringify(bundle.consistencyProof));
    return (await importModule(pathToFileURL(verifierFile).href)).verifyBundle(dir, { key: vkey });
  }

  it('names the event whose bytes changed', async () => {
    await sql(`UPDATE $schema.events SET data = jsonb_set(data, '{amount}', '"4.01"') WHERE event_id = $1`, [events[4]!.eventId]);
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 4, eventId: events[4]!.eventId, problem: expect.stringContaining('no longer matches its leaf') });
    expect(await auditorVerdict()).toMatchObject({ ok: false, check: 5, message: expect.stringContaining('at least one difference lies in logIndex 0 to 11') });
  });

  it('names a personal part changed after it was logged', async () => {
    await sql(`UPDATE $schema.events SET data = jsonb_set(data, '{personal,narrative}', '"another story"') WHERE event_id = $1`, [events[2]!.eventId]);
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 2, problem: expect.stringContaining('commitment') });
  });

  it('names a deleted event', async () => {
    await sql('DELETE FROM $schema.events WHERE event_id = $1', [events[7]!.eventId]);
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 7, problem: expect.stringContaining(`event ${events[7]!.eventId} of log index 7 is missing`) });
    expect(await auditorVerdict()).toMatchObject({ ok: false });
  });

  it('names two swapped events', async () => {
    const [a, b] = [events[3]!, events[8]!];
    await sql('UPDATE $schema.events SET data = $2::jsonb, metadata = $3::jsonb WHERE event_id = $1', [a.eventId, JSON.stringify(b.data), JSON.stringify(b.metadata)]);
    await sql('UPDATE $schema.events SET data = $2::jsonb, metadata = $3::jsonb WHERE event_id = $1', [b.eventId, JSON.stringify(a.data), JSON.stringify(a.metadata)]);
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 3, eventId: a.eventId });
    expect(await auditorVerdict()).toMatchObject({ ok: false, check: 5 });
  });

  it('names a truncated tail', async () => {
    for (const e of events.slice(9)) {
      await sql('DELETE FROM $schema.events WHERE event_id = $1', [e.eventId]);
      await sql('DELETE FROM $schema.log_entries WHERE event_id = $1', [e.eventId]);
    }
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 9, problem: expect.stringContaining('but the checkpoint signed 13 (truncated)') });
    expect(await auditorVerdict()).toMatchObject({ ok: false, check: 4 });
  });

  it('names a forged event inserted in the middle of the log', async () => {
    const forged = randomUUID();
    await sql(
      `INSERT INTO $schema.events (global_position, tx_id, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
       OVERRIDING SYSTEM VALUE
       SELECT global_position * 1000 + 1, tx_id, $2, 'plan-forged', 1, 'CostLineAdded', 1, '{"amount":"999.00"}', metadata, recorded_at
       FROM $schema.events WHERE event_id = $1`,
      [events[5]!.eventId, forged],
    );
    const report = await env.log.verify();
    expect(report).toMatchObject({ ok: false, eventId: forged, problem: expect.stringContaining('reordered or inserted') });
    expect(await auditorVerdict()).toMatchObject({ ok: false, check: 5 });
  });

  it('lets the auditor catch a rewritten history even when the operator signs it with the real key', async () => {
    // The operator rewrites event 0 and signs a checkpoint over the rewritten log with the ledger's own key.
    await sql(`UPDATE $schema.events SET data = jsonb_set(data, '{amount}', '"0.01"') WHERE event_id = $1`, [events[0]!.eventId]);
    const rewritten = (await env.log.auditBundle('2026-03')).entries;
    const hashes = rewritten.map((e) => leafHash(e));
    const forged = signCheckpoint({ origin: 'ledger.gm9001.test/doorbraak', size: hashes.length, root: rootFromLeafHashes(hashes) }, testSigningKey);
    const february = (await env.client.query<{ note: string }>(`SELECT note FROM ${env.schema}.log_checkpoints WHERE reason = 'period 2026-02'`)).rows[0]!.note;
    const dir = mkdtempSync(join(tmpdir(), 'forged-'));
    writeFileSync(join(dir, 'checkpoint.txt'), forged);
    writeFileSync(join(dir, 'public-key.txt'), `${vkey}\n`);
    writeFileSync(join(dir, 'entries.jsonl'), Buffer.concat(rewritten.flatMap((e) => [e, Buffer.from('\n')])));
    writeFileSync(join(dir, 'previous-checkpoint.txt'), february);
    writeFileSync(join(dir, 'consistency-proof.json'), JSON.stringify({ size1: 12, size2: hashes.length, proof: consistencyProof(12, hashes).map((h) => h.toString('base64')) }));
    expect((await importModule(pathToFileURL(verifierFile).href)).verifyBundle(dir, { key: vkey })).toMatchObject({ ok: false, check: 6 });
  });
});
