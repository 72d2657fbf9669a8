import { logPosition } from '@doorbraak/event-store';
import type { SqlClient } from '@doorbraak/sql';
import { PostgresEventStore } from './postgres-event-store';

const row = (tx: number, position: number) => ({
  head_tx: '9',
  head_position: '90',
  global_position: String(position),
  tx_id: String(tx),
  event_id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  stream_id: 'thing-1',
  stream_version: String(position),
  type: 'ThingHappened',
  schema_version: 1,
  data: {},
  metadata: { actor: 'a', correlationId: 'c', tenant: 't' },
  recorded_at: new Date(0),
});

/** A database whose page query returns these rows as they are. */
const answering = (rows: object[]): SqlClient => ({
  driver: 'postgres',
  concurrentTransactions: true,
  query: async <Row>() => ({ rows: rows as Row[], rowCount: rows.length }),
  exec: async () => undefined,
  transaction: async () => {
    throw new Error('not used');
  },
  close: async () => undefined,
});

describe('reading the log from PostgreSQL', () => {
  it('hands a page on in log order even when the database returns its rows in another order', async () => {
    // Given a page whose rows arrive out of log order
    const store = new PostgresEventStore({ client: answering([row(5, 51), row(3, 30), row(5, 50), row(4, 40)]) });
    // When it is read
    const page = await store.readAll({ after: logPosition(0n, 0n), limit: 4 });
    // Then its events are in log order and it was read up to the last of them
    expect(page.events.map((e) => e.logPosition)).toEqual([logPosition(3n, 30n), logPosition(4n, 40n), logPosition(5n, 50n), logPosition(5n, 51n)]);
    expect(page.scannedTo).toBe(logPosition(5n, 51n));
  });
});
