import { InvalidAppendError, START } from '@doorbraak/event-store';
import { anEvent } from '@doorbraak/event-store-contract';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { type SqlClient, migrate, openPglite } from '@doorbraak/sql';
import { randomBytes, randomUUID } from 'node:crypto';
import { ERASED, ShreddingEventStore } from './shredding-event-store';
import { SubjectErasedError, SubjectKeyStore, sealedForLiveSubjects, subjectKeysSchema } from './subject-keys';

const SCHEMA = 'shredding';
const STORY = 'moved in with an aunt after the eviction';

describe('crypto-shredding of personal data', () => {
  let client: SqlClient;
  let raw: PostgresEventStore;
  let keys: SubjectKeyStore;
  let store: ShreddingEventStore;
  let masterKey: Buffer;

  beforeAll(async () => {
    client = await openPglite('memory://');
    raw = new PostgresEventStore({ client, schema: SCHEMA });
    await raw.migrate();
    await migrate(client, SCHEMA, [subjectKeysSchema, sealedForLiveSubjects]);
    masterKey = randomBytes(32);
    keys = new SubjectKeyStore(client, SCHEMA, masterKey, { storeRefusesErased: true });
    store = new ShreddingEventStore(raw, keys);
  });
  afterAll(() => client.close());

  const withPersonal = (subject: string, personal: object = { narrative: STORY }) =>
    anEvent({ data: { amount: '12.50', personal } as never, metadata: { actor: 'prof-1', correlationId: randomUUID(), tenant: 'gm9001', subject } });

  it('given a personal part, when appended, then the database holds only ciphertext and a read gives the plaintext back', async () => {
    const subject = randomUUID();
    const stream = `plan-${randomUUID()}`;
    await store.append(stream, [withPersonal(subject)], 'no_stream');
    const { rows } = await client.query<{ data: string }>(`SELECT data::text FROM ${SCHEMA}.events WHERE stream_id = $1`, [stream]);
    expect(rows[0]!.data).not.toContain('aunt');
    expect(rows[0]!.data).toContain('"amount": "12.50"');
    const [read] = await store.readStream(stream);
    expect(read!.data).toEqual({ amount: '12.50', personal: { narrative: STORY } });
  });

  it('given a household erased, when its events are read, then the personal part reads as erased and the facts are untouched', async () => {
    const subject = randomUUID();
    const other = randomUUID();
    const stream = `plan-${randomUUID()}`;
    await store.append(stream, [withPersonal(subject), withPersonal(other, { narrative: 'another family' })], 'no_stream');
    expect(await keys.erase(subject, 'gm9001')).toBe(true);
    expect(await keys.erase(subject, 'gm9001')).toBe(false);
    const events = await store.readStream(stream);
    expect(events.map((e) => e.data)).toEqual([
      { amount: '12.50', personal: ERASED },
      { amount: '12.50', personal: { narrative: 'another family' } },
    ]);
    const all = await store.readAll({ after: START, limit: 1_000 });
    expect(all.events.find((e) => e.eventId === events[0]!.eventId)?.data['personal']).toEqual(ERASED);
  });

  it('given a household erased, when new personal data is appended for it, then it is refused and nothing is written', async () => {
    const subject = randomUUID();
    await keys.erase(subject, 'gm9001');
    const stream = `plan-${randomUUID()}`;
    await expect(store.append(stream, [withPersonal(subject)], 'no_stream')).rejects.toBeInstanceOf(SubjectErasedError);
    expect(await raw.readStream(stream)).toEqual([]);
    await store.append(stream, [anEvent({ data: { amount: '1.00' } })], 'no_stream');
    expect(await raw.readStream(stream)).toHaveLength(1);
  });

  it('given a key remembered by one process, when another process erases the household, then the next append of the first is refused and nothing is written', async () => {
    const subject = randomUUID();
    const stream = `plan-${randomUUID()}`;
    await store.append(stream, [withPersonal(subject)], 'no_stream');
    const otherProcess = new SubjectKeyStore(client, SCHEMA, masterKey, { storeRefusesErased: true });
    expect(await otherProcess.erase(subject, 'gm9001')).toBe(true);
    await expect(store.append(stream, [withPersonal(subject)], 1n)).rejects.toEqual(new SubjectErasedError(subject));
    await expect(store.append(stream, [withPersonal(subject)], 1n)).rejects.toEqual(new SubjectErasedError(subject));
    expect(await raw.readStream(stream)).toHaveLength(1);
  });

  it('given appends committed together, when one is for a household erased elsewhere, then only that one is refused', async () => {
    const [erased, kept] = [randomUUID(), randomUUID()];
    // The first append goes alone; the others wait for it and are committed as one group.
    const subjects = [kept, kept, kept, erased, kept, kept];
    const streams = subjects.map(() => `plan-${randomUUID()}`);
    await Promise.all(streams.map((stream, i) => store.append(stream, [withPersonal(subjects[i]!)], 'no_stream')));
    await new SubjectKeyStore(client, SCHEMA, masterKey).erase(erased, 'gm9001');
    const outcomes = await Promise.allSettled(streams.map((stream, i) => store.append(stream, [withPersonal(subjects[i]!)], 1n)));
    expect(outcomes.map((o) => o.status)).toEqual(subjects.map((s) => (s === erased ? 'rejected' : 'fulfilled')));
    expect(await Promise.all(streams.map(async (stream) => (await raw.readStream(stream)).length))).toEqual(subjects.map((s) => (s === erased ? 1 : 2)));
  });

  it('refuses, in the append itself, an event sealed for a subject that has no live key', async () => {
    const sealed = anEvent({ data: { personal: { sealed: 'A256GCM.v1', data: 'AAAA' } } as never, metadata: { actor: 'prof-1', correlationId: randomUUID(), tenant: 'gm9001', subject: randomUUID() } });
    const stream = `plan-${randomUUID()}`;
    await expect(raw.append(stream, [sealed], 'no_stream')).rejects.toMatchObject({ sqlState: 'LD410' });
    expect(await raw.readStream(stream)).toEqual([]);
  });

  it('refuses a personal part without a data subject, naming the field', async () => {
    const event = anEvent({ data: { personal: { narrative: STORY } } });
    await expect(store.append(`plan-${randomUUID()}`, [anEvent(), event], 'no_stream')).rejects.toEqual(new InvalidAppendError('an event with a personal part must name its data subject', 'events/1/metadata/subject'));
  });

  it('detects a ciphertext moved to another event or changed in the database', async () => {
    const subject = randomUUID();
    const [a, b] = [`plan-${randomUUID()}`, `plan-${randomUUID()}`];
    await store.append(a, [withPersonal(subject)], 'no_stream');
    await store.append(b, [withPersonal(subject, { narrative: 'second' })], 'no_stream');
    await client.exec(`ALTER TABLE ${SCHEMA}.events DISABLE TRIGGER USER`);
    await client.query(
      `UPDATE ${SCHEMA}.events SET data = jsonb_set(data, '{personal}', (SELECT data->'personal' FROM ${SCHEMA}.events WHERE stream_id = $1)) WHERE stream_id = $2`,
      [a, b],
    );
    await client.exec(`ALTER TABLE ${SCHEMA}.events ENABLE TRIGGER USER`);
    await expect(store.readStream(b)).rejects.toThrow(/unable to authenticate|Unsupported state/);
  });

  it('refuses a key store opened with another master key', async () => {
    const subject = randomUUID();
    await store.append(`plan-${randomUUID()}`, [withPersonal(subject)], 'no_stream');
    const wrongMaster = new SubjectKeyStore(client, SCHEMA, randomBytes(32));
    await expect(wrongMaster.keysFor([subject])).rejects.toThrow(/wrapped by master key/);
  });
});
