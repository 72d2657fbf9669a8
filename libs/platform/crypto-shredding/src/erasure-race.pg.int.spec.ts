import { anEvent } from '@doorbraak/event-store-contract';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { type SqlClient, connectPostgres, migrate } from '@doorbraak/sql';
import { postgresUrl, uniqueSchema } from '@doorbraak/testing';
import { Client } from 'pg';
import { randomBytes, randomUUID } from 'node:crypto';
import { ShreddingEventStore } from './shredding-event-store';
import { SubjectErasedError, SubjectKeyStore, sealedForLiveSubjects, subjectKeysSchema } from './subject-keys';

describe('an append racing an erasure on PostgreSQL', () => {
  const schema = uniqueSchema('race');
  let client: SqlClient;
  let raw: PostgresEventStore;
  let store: ShreddingEventStore;
  let keys: SubjectKeyStore;

  beforeAll(async () => {
    client = connectPostgres({ connectionString: postgresUrl(), maxConnections: 4 });
    raw = new PostgresEventStore({ client, schema });
    await raw.migrate();
    await migrate(client, schema, [subjectKeysSchema, sealedForLiveSubjects]);
    keys = new SubjectKeyStore(client, schema, randomBytes(32), { storeRefusesErased: true });
    store = new ShreddingEventStore(raw, keys);
  });
  afterAll(() => client.close());

  const withPersonal = (subject: string) =>
    anEvent({ data: { amount: '3.00', personal: { narrative: 'asked for help with the rent' } } as never, metadata: { actor: 'prof-1', correlationId: randomUUID(), tenant: 'gm9001', subject } });

  /** Resolves once some backend of this database waits for a lock (the append, held by the open erasure). */
  async function someoneWaitsForALock(observer: Client): Promise<void> {
    for (;;) {
      const { rows } = await observer.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (rows[0]!.waiting > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('given an erasure under way, when an append with a remembered key reaches the database, then it waits for the erasure and is refused, nothing written', async () => {
    const subject = randomUUID();
    const stream = `plan-${randomUUID()}`;
    await store.append(stream, [withPersonal(subject)], 'no_stream');
    const erasure = new Client({ connectionString: postgresUrl() });
    await erasure.connect();
    try {
      await erasure.query('BEGIN');
      await erasure.query(`UPDATE ${schema}.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = $1`, [subject]);
      const appending = store.append(stream, [withPersonal(subject)], 1n);
      appending.catch(() => undefined);
      const settledFirst = appending.then(
        () => 'appended while the erasure was under way',
        (error: unknown) => `refused before the erasure committed: ${String(error)}`,
      );
      await expect(Promise.race([someoneWaitsForALock(erasure).then(() => 'waits for the erasure'), settledFirst])).resolves.toBe('waits for the erasure');
      await erasure.query('COMMIT');
      await expect(appending).rejects.toEqual(new SubjectErasedError(subject));
    } finally {
      await erasure.end();
    }
    expect(await raw.readStream(stream)).toHaveLength(1);
  });

  it('given a remembered key erased by another process, when units are appended, then the unit of that subject fails alone with its erasure, nothing of it written', async () => {
    const [subject, other] = [randomUUID(), randomUUID()];
    const [plan, budget, second] = [`plan-${randomUUID()}`, `budget-${randomUUID()}`, `plan-${randomUUID()}`];
    await store.append(plan, [withPersonal(subject)], 'no_stream');
    const erasure = new Client({ connectionString: postgresUrl() });
    await erasure.connect();
    try {
      await erasure.query(`UPDATE ${schema}.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = $1`, [subject]);
    } finally {
      await erasure.end();
    }
    const [refused, stored] = await store.appendUnits([
      [{ streamId: budget, events: [anEvent()], expected: 'no_stream' }, { streamId: plan, events: [withPersonal(subject)], expected: 1n }],
      [{ streamId: `budget-${randomUUID()}`, events: [anEvent()], expected: 'no_stream' }, { streamId: second, events: [withPersonal(other)], expected: 'no_stream' }],
    ]);
    expect(refused).toEqual({ error: new SubjectErasedError(subject) });
    expect(stored).toMatchObject({ ok: [{ streamVersion: 1n }, { streamVersion: 1n }] });
    expect(await raw.readStream(budget)).toEqual([]);
    expect(await raw.readStream(plan)).toHaveLength(1);
  });
});
