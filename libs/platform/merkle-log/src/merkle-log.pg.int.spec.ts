import { anEvent } from '@doorbraak/event-store-contract';
import { START, type RecordedEvent } from '@doorbraak/event-store';
import { connectPostgres } from '@doorbraak/sql';
import { postgresUrl } from '@doorbraak/testing';
import { randomUUID } from 'node:crypto';
import { describeMerkleLog } from './merkle-log.behaviour';

const { setup } = describeMerkleLog(async () => connectPostgres({ connectionString: postgresUrl() }));

describe('MerkleLog on PostgreSQL, against someone with write access to the database', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  let events: readonly RecordedEvent[];
  const sql = (text: string, params: unknown[] = []) => env.client.query(text.replaceAll('$schema', env.schema), params);

  beforeEach(async () => {
    env = await setup();
    for (let i = 0; i < 6; i++) await env.store.append(`plan-${randomUUID()}`, [anEvent({ data: { amount: `${i}.00`, personal: { narrative: `story ${i}` } } }), anEvent()], 'no_stream');
    await env.log.integrateAll();
    await env.log.checkpoint('period close');
    events = (await env.store.readAll({ after: START, limit: 100 })).events;
    // What an attacker with superuser rights does first: switch off the immutability guard.
    await sql('ALTER TABLE $schema.events DISABLE TRIGGER events_immutable');
  });
  afterEach(() => env.client.close());

  it('names the event whose bytes changed', async () => {
    await sql(`UPDATE $schema.events SET data = jsonb_set(data, '{amount}', '"4.01"') WHERE event_id = $1`, [events[4]!.eventId]);
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 4, eventId: events[4]!.eventId, problem: expect.stringContaining('no longer matches its leaf') });
  });

  it('names a personal part changed after it was logged', async () => {
    await sql(`UPDATE $schema.events SET data = jsonb_set(data, '{personal,narrative}', '"another story"') WHERE event_id = $1`, [events[2]!.eventId]);
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 2, problem: expect.stringContaining('commitment') });
  });

  it('names a deleted event', async () => {
    await sql('DELETE FROM $schema.events WHERE event_id = $1', [events[7]!.eventId]);
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 7, problem: expect.stringContaining(`event ${events[7]!.eventId} of log index 7 is missing`) });
  });

  it('names two swapped events', async () => {
    const [a, b] = [events[3]!, events[8]!];
    await sql('UPDATE $schema.events SET data = $2::jsonb, metadata = $3::jsonb WHERE event_id = $1', [a.eventId, JSON.stringify(b.data), JSON.stringify(b.metadata)]);
    await sql('UPDATE $schema.events SET data = $2::jsonb, metadata = $3::jsonb WHERE event_id = $1', [b.eventId, JSON.stringify(a.data), JSON.stringify(a.metadata)]);
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 3, eventId: a.eventId });
  });

  it('names a truncated tail', async () => {
    for (const e of events.slice(9)) {
      await sql('DELETE FROM $schema.events WHERE event_id = $1', [e.eventId]);
      await sql('DELETE FROM $schema.log_entries WHERE event_id = $1', [e.eventId]);
    }
    expect(await env.log.verify()).toMatchObject({ ok: false, firstBadIndex: 9, problem: expect.stringContaining('but the checkpoint signed 12 (truncated)') });
  });

  it('names a forged event inserted in the middle of the log', async () => {
    const forged = randomUUID();
    await sql(
      `INSERT INTO $schema.events (global_position, tx_id, event_id, stream_id, stream_version, category, type, schema_version, tenant, data, metadata, recorded_at)
       OVERRIDING SYSTEM VALUE
       SELECT global_position * 1000 + 1, tx_id, $2, 'plan-forged', 1, 'plan', 'CostLineAdded', 1, tenant, '{"amount":"999.00"}', metadata, recorded_at
       FROM $schema.events WHERE event_id = $1`,
      [events[5]!.eventId, forged],
    );
    const report = await env.log.verify();
    expect(report).toMatchObject({ ok: false, eventId: forged, problem: expect.stringContaining('reordered or inserted') });
  });
});
