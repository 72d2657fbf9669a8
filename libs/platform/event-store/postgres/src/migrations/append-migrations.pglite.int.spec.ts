import { START } from '@doorbraak/event-store';
import { anEvent } from '@doorbraak/event-store-contract';
import { migrate, openPglite, type SqlClient } from '@doorbraak/sql';
import { uniqueSchema } from '@doorbraak/testing';
import { PostgresEventStore } from '../postgres-event-store';
import { eventStoreSchema } from './0001-event-store.migration';
import { appendWithoutReplayProbe } from './0002-append-without-replay-probe.migration';
import { columnsTheLogCovers } from './0003-columns-the-log-covers.migration';
import { groupCommit } from './0004-group-commit.migration';

describe('a store made by the first migration', () => {
  let db: SqlClient;
  beforeAll(async () => {
    db = await openPglite('memory://');
  });
  afterAll(() => db.close());

  it('is upgraded to the append without a replay probe, and still recognises a retry', async () => {
    const schema = uniqueSchema('es');
    await migrate(db, schema, [eventStoreSchema]);
    const store = new PostgresEventStore({ client: { ...db, close: async () => undefined }, schema });
    expect(await store.migrate()).toEqual(['0002-append-without-replay-probe', '0003-columns-the-log-covers', '0004-group-commit', '0005-version-check-on-the-events-index', '0006-append-units']);
    const events = [anEvent(), anEvent()];
    const first = await store.append('plan-1', events, 'no_stream');
    await expect(store.append('plan-1', events, 'no_stream')).resolves.toEqual(first);
    expect(await store.readStream('plan-1')).toHaveLength(2);
  });

  it('keeps the events stored with a category column, now found by the category of their stream id', async () => {
    const schema = uniqueSchema('es');
    await migrate(db, schema, [eventStoreSchema, appendWithoutReplayProbe]);
    const event = anEvent();
    await db.query(`SELECT * FROM ${schema}.append_events('budget-1', 'budget', 'no_stream', $1::jsonb)`, [JSON.stringify([event])]);
    const store = new PostgresEventStore({ client: { ...db, close: async () => undefined }, schema });
    expect(await store.migrate()).toEqual(['0003-columns-the-log-covers', '0004-group-commit', '0005-version-check-on-the-events-index', '0006-append-units']);
    const page = await store.readAll({ after: START, limit: 10, categories: ['budget'] });
    expect(page.events.map((e) => [e.eventId, e.category])).toEqual([[event.eventId, 'budget']]);
    expect(await store.countAfter(START, { categories: ['plan'] })).toBe(0);
  });

  it('keeps the versions its stream rows held, now read from the events, and drops the stream rows', async () => {
    const schema = uniqueSchema('es');
    await migrate(db, schema, [eventStoreSchema, appendWithoutReplayProbe, columnsTheLogCovers, groupCommit]);
    await db.query(`SELECT * FROM ${schema}.append_events('plan-1', 'no_stream', $1::jsonb)`, [JSON.stringify([anEvent(), anEvent()])]);
    const store = new PostgresEventStore({ client: { ...db, close: async () => undefined }, schema });
    expect(await store.migrate()).toEqual(['0005-version-check-on-the-events-index', '0006-append-units']);
    await expect(store.append('plan-1', [anEvent()], 1n)).rejects.toMatchObject({ expected: 1n, actual: 2n });
    await expect(store.append('plan-1', [anEvent()], 'no_stream')).rejects.toMatchObject({ actual: 2n });
    await expect(store.append('plan-1', [anEvent()], 2n)).resolves.toMatchObject({ streamVersion: 3n });
    await expect(store.append('plan-1', [anEvent(), anEvent()], 'stream_exists')).resolves.toMatchObject({ streamVersion: 5n });
    await expect(store.append('plan-1', [anEvent()], 'any')).resolves.toMatchObject({ streamVersion: 6n });
    const { rows } = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'streams'`, [schema]);
    expect(rows).toEqual([]);
  });
});
