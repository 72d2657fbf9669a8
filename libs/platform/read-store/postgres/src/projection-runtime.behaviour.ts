import { anEvent } from '@doorbraak/event-store-contract';
import { type JsonObject, type Projection, type RecordedEvent, START, defineProjection, untilVisible } from '@doorbraak/event-store';
import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import type { SqlClient } from '@doorbraak/sql';
import { uniqueSchema } from '@doorbraak/testing';
import { randomUUID } from 'node:crypto';
import { ProjectionRuntime } from './projection-runtime';

interface Tally extends JsonObject {
  category: string;
  events: number;
  ids: string[];
}

/** Counts events per category and remembers their ids, so a double or missed application shows. */
const tally = (version = 1, weight = 1): Projection =>
  defineProjection<Tally>({
    name: 'tally',
    version,
    filter: {},
    keysOf: (e) => [e.category],
    evolve: (row, e) => ({
      category: e.category,
      events: (row?.events ?? 0) + weight,
      ids: [...(row?.ids ?? []), e.eventId],
    }),
    columns: ["events integer GENERATED ALWAYS AS ((doc->>'events')::integer) STORED"],
  });

/** The same fold, computed in memory from the whole log: what the table must hold. */
function expectedRows(events: readonly RecordedEvent[], projection: Projection): Record<string, JsonObject> {
  const rows: Record<string, JsonObject> = {};
  for (const event of events) for (const key of projection.keysOf(event)) rows[key] = projection.evolve(rows[key] ?? null, event, key, (k) => rows[k] ?? null)!;
  return rows;
}

/** Behaviour of the projection runtime, run on PGlite and on PostgreSQL. */
export function describeProjectionRuntime(connect: () => Promise<SqlClient>): void {
  let client: SqlClient;
  let store: PostgresEventStore;
  let schema: string;
  const runtimes: ProjectionRuntime[] = [];
  const runtime = (projections: Projection[], extra: Partial<ConstructorParameters<typeof ProjectionRuntime>[0]> = {}) => {
    const r = new ProjectionRuntime({ store, client, schema, projections, batchSize: 7, buildBatchSize: 7, leaseMs: 300, idleMs: 10, ...extra });
    runtimes.push(r);
    return r;
  };
  const rows = async (r: ProjectionRuntime, name = 'tally') => {
    const { rows: found } = await client.query<{ key: string; doc: JsonObject }>(`SELECT key, doc FROM ${await r.liveTable(name)} ORDER BY key`);
    return Object.fromEntries(found.map((row) => [row.key, row.doc]));
  };
  const allEvents = async () => (await store.readAll({ after: START, limit: 100_000 })).events;
  const appendSome = async (n: number) => {
    let last = START;
    for (let i = 0; i < n; i++) {
      ({ logPosition: last } = await store.append(`${i % 3 ? 'plan' : 'budget'}-${randomUUID()}`, [anEvent()], 'no_stream'));
    }
    return last;
  };

  beforeEach(async () => {
    client = await connect();
    schema = uniqueSchema('rt');
    store = new PostgresEventStore({ client, schema });
    await store.migrate();
  });
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((r) => r.stop()));
    await client.close();
  });

  describe('given events in the log', () => {
    it('folds them into rows and commits the checkpoint with them', async () => {
      const head = await appendSome(20);
      const r = runtime([tally()]);
      await r.start();
      await r.waitFor('tally', head);
      expect(await rows(r)).toEqual(expectedRows(await allEvents(), tally()));
      const [status] = await r.status();
      expect(status).toMatchObject({ name: 'tally', status: 'live', position: head, eventsApplied: 20, lag: 0 });
    });

    it('keeps up with events appended while it runs', async () => {
      const r = runtime([tally()]);
      await r.start();
      const head = await appendSome(15);
      await r.waitFor('tally', head);
      expect(await rows(r)).toEqual(expectedRows(await allEvents(), tally()));
    });

    it('reports the events it has not applied yet as lag', async () => {
      const r = runtime([tally()]);
      await r.runUntilLive('tally');
      const last = await appendSome(5);
      // Lag counts visible events; wait until the five appends are visible to readers.
      await untilVisible(store, last);
      expect((await r.status())[0]).toMatchObject({ lag: 5 });
    });
  });

  describe('when a batch fails half-way', () => {
    it('rolls the batch back and a restarted runner ends with the same rows as a clean run', async () => {
      const head = await appendSome(30);
      let applied = 0;
      const crashing = defineProjection<JsonObject>({
        ...(tally() as unknown as Projection<JsonObject>),
        evolve: (row, e, key) => {
          if (++applied === 17) throw new Error('runner died here');
          return tally().evolve(row, e, key, () => null);
        },
      });
      const errors: unknown[] = [];
      const first = runtime([crashing], { onError: (e) => errors.push(e) });
      await expect(first.runUntilLive('tally')).rejects.toThrow('runner died here');
      const [stalled] = await first.status();
      expect(stalled!.eventsApplied).toBe(14);
      const second = runtime([tally()]);
      await second.runUntilLive('tally');
      await second.waitFor('tally', head);
      expect(await rows(second)).toEqual(expectedRows(await allEvents(), tally()));
    });
  });

  describe('with a settle step', () => {
    it('stores each row with what it derives from the folded row, live and rebuilt alike, in pages of any size', async () => {
      await appendSome(20);
      const settled = defineProjection<JsonObject>({ ...(tally() as unknown as Projection<JsonObject>), name: 'settled', settle: (row) => ({ ...row, distinct: new Set(row['ids'] as string[]).size }) });
      const r = runtime([settled], { batchSize: 3, buildBatchSize: 3 });
      await r.runUntilLive('settled');
      const head = await appendSome(4);
      await r.runUntilCaughtUp();
      await r.waitFor('settled', head);
      const live = await rows(r, 'settled');
      const folded = expectedRows(await allEvents(), tally());
      expect(live).toEqual(Object.fromEntries(Object.entries(folded).map(([key, row]) => [key, { ...row, distinct: (row['ids'] as string[]).length }])));
      await r.rebuild('settled');
      await runtime([settled], { batchSize: 1_000, buildBatchSize: 1_000 }).runUntilLive('settled');
      expect(await rows(r, 'settled')).toEqual(live);
    });
  });

  describe('rebuilding', () => {
    it('builds a new generation from zero that matches the live one, then switches over', async () => {
      await appendSome(25);
      const r = runtime([tally()]);
      await r.runUntilLive('tally');
      const before = await rows(r);
      const oldTable = await r.liveTable('tally');
      await r.rebuild('tally');
      await r.runUntilLive('tally');
      expect(await r.liveTable('tally')).not.toBe(oldTable);
      expect(await rows(r)).toEqual(before);
      const { rows: tables } = await client.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2`, [schema, oldTable.split('.')[1]]);
      expect(tables).toHaveLength(0);
    });

    it('serves queries from the new generation once a rebuild in another runtime went live', async () => {
      await appendSome(10);
      const reader = runtime([tally()]);
      await reader.runUntilLive('tally');
      const count = () => reader.query<{ n: number }>('tally', (t) => ({ sql: `SELECT sum(events)::int AS n FROM ${t}`, params: [] }));
      expect(await count()).toEqual([{ n: 10 }]);
      const head = await appendSome(5);
      const rebuilder = runtime([tally()]);
      await rebuilder.rebuild('tally');
      await rebuilder.runUntilLive('tally');
      await rebuilder.waitFor('tally', head);
      expect(await count()).toEqual([{ n: 15 }]);
    });

    it('builds a new version from zero while the old one serves, and retires the old one', async () => {
      const head = await appendSome(12);
      const v1 = runtime([tally(1, 1)]);
      await v1.runUntilLive('tally');
      const v2 = runtime([tally(2, 10)]);
      await v2.start();
      await v2.waitFor('tally', head);
      const live = (await v2.status()).filter((g) => g.status === 'live');
      expect(live).toEqual([expect.objectContaining({ version: 2, generation: 2 })]);
      expect(await rows(v2)).toEqual(expectedRows(await allEvents(), tally(2, 10)));
    });
  });

  describe('rows a fold removes', () => {
    it('deletes them beside the rows it writes, and the change feed announces the deletion', async () => {
      const latest = defineProjection<{ ids: string[] }>({
        name: 'tally',
        version: 1,
        filter: {},
        keysOf: (e) => [e.category],
        evolve: (row, e) => (e.data['remove'] ? null : { ids: [...(row?.ids ?? []), e.eventId] }),
      });
      const r = runtime([latest]);
      await r.start();
      await r.waitFor('tally', (await store.append(`budget-${randomUUID()}`, [anEvent()], 'no_stream')).logPosition);
      await store.append(`plan-${randomUUID()}`, [anEvent()], 'no_stream');
      const { logPosition } = await store.append(`plan-${randomUUID()}`, [anEvent({ data: { remove: true } })], 'no_stream');
      await r.waitFor('tally', logPosition);
      expect(Object.keys(await rows(r))).toEqual(['budget']);
      const { changes } = await r.changes('tally', START, 100);
      expect(changes.filter((c) => c.key === 'plan').at(-1)).toMatchObject({ kind: 'delete', row: null });
    });
  });

  describe('the change feed', () => {
    /** A subscriber: applies records by key; a reset starts over. Resumes from its last cursor. */
    async function follow(r: ProjectionRuntime, state: { cursor: typeof START; rows: Map<string, JsonObject>; applied: number }, pageSize: number) {
      for (;;) {
        const { changes, cursor } = await r.changes('tally', state.cursor, pageSize);
        if (changes.length === 0) return;
        for (const c of changes) {
          if (c.kind === 'reset') state.rows.clear();
          else if (c.kind === 'delete') state.rows.delete(c.key!);
          else state.rows.set(c.key!, c.row!);
          state.applied++;
        }
        state.cursor = cursor;
      }
    }

    it('lets a subscriber that stops and resumes with its cursor end with exactly the live rows', async () => {
      const r = runtime([tally()]);
      await r.start();
      const subscriber = { cursor: START, rows: new Map<string, JsonObject>(), applied: 0 };
      await r.waitFor('tally', await appendSome(6));
      await follow(r, subscriber, 2);
      const appliedBefore = subscriber.applied;
      await r.waitFor('tally', await appendSome(9));
      await follow(r, subscriber, 3);
      expect(Object.fromEntries(subscriber.rows)).toEqual(await rows(r));
      const again = await r.changes('tally', subscriber.cursor, 10);
      expect(again.changes).toEqual([]);
      expect(subscriber.applied).toBeGreaterThan(appliedBefore);
    });

    it('starts subscribers over with a reset and a snapshot when a rebuild goes live', async () => {
      await appendSome(8);
      const r = runtime([tally()]);
      await r.runUntilLive('tally');
      const subscriber = { cursor: START, rows: new Map<string, JsonObject>(), applied: 0 };
      await follow(r, subscriber, 4);
      await r.rebuild('tally');
      await r.runUntilLive('tally');
      const { changes } = await r.changes('tally', subscriber.cursor, 100);
      expect(changes[0]).toMatchObject({ kind: 'reset', generation: 2 });
      await follow(r, subscriber, 4);
      expect(Object.fromEntries(subscriber.rows)).toEqual(await rows(r));
    });

    it('writes only the rows an event changed: a fold that hands its row back leaves it and its feed alone', async () => {
      // Counts plan events; budget events hand the row back unchanged.
      const plans = defineProjection<{ plans: number }>({ name: 'tally', version: 1, filter: {}, keysOf: () => ['all'], evolve: (row, e) => (e.category === 'plan' || !row ? { plans: (row?.plans ?? 0) + (e.category === 'plan' ? 1 : 0) } : row) });
      const r = runtime([plans]);
      await r.start();
      await r.waitFor('tally', (await store.append(`plan-${randomUUID()}`, [anEvent()], 'no_stream')).logPosition);
      const upserts = async () => (await r.changes('tally', START, 100)).changes.filter((c) => c.kind === 'upsert');
      const before = await upserts();
      await r.waitFor('tally', (await store.append(`budget-${randomUUID()}`, [anEvent()], 'no_stream')).logPosition);
      expect(await upserts()).toEqual(before);
      await r.waitFor('tally', (await store.append(`plan-${randomUUID()}`, [anEvent()], 'no_stream')).logPosition);
      expect((await upserts()).at(-1)).toMatchObject({ key: 'all', row: { plans: 2 } });
      expect(await rows(r)).toEqual({ all: { plans: 2 } });
    });

    it('gives a municipality only its own rows', async () => {
      const byTenant = defineProjection<JsonObject>({ name: 'by_tenant', version: 1, filter: {}, keysOf: (e) => [e.eventId], evolve: (_row, e) => ({ tenant: e.metadata.tenant }) });
      const r = runtime([byTenant]);
      await r.start();
      const own = await store.append(`plan-${randomUUID()}`, [anEvent({ metadata: { actor: 'a', correlationId: randomUUID(), tenant: 'gm9001' } })], 'no_stream');
      const other = await store.append(`plan-${randomUUID()}`, [anEvent({ metadata: { actor: 'a', correlationId: randomUUID(), tenant: 'gm9002' } })], 'no_stream');
      await r.waitFor('by_tenant', own.logPosition > other.logPosition ? own.logPosition : other.logPosition);
      const upserts = async (tenant?: string) => (await r.changes('by_tenant', START, 100, tenant)).changes.filter((c) => c.kind === 'upsert').map((c) => c.row);
      expect(await upserts('gm9001')).toEqual([{ tenant: 'gm9001' }]);
      expect(await upserts()).toHaveLength(2);
    });

    it('never writes rows of a projection with personal data to the feed, not even on a rebuild', async () => {
      const personal = defineProjection<JsonObject>({ name: 'personal', version: 1, personalData: true, filter: {}, keysOf: (e) => [e.eventId], evolve: (_row, e) => ({ n: e.eventId }) });
      await appendSome(3);
      const r = runtime([personal]);
      await r.runUntilLive('personal');
      await r.start();
      await r.waitFor('personal', await appendSome(2));
      const { rows: found } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.projection_changes WHERE projection = 'personal'`);
      expect(found[0]!.n).toBe('0');
    });
  });

  describe('with two runners on one generation', () => {
    it('applies every event exactly once', async () => {
      const a = runtime([tally()]);
      const b = runtime([tally()]);
      await a.start();
      await b.start();
      const head = await appendSome(40);
      await a.waitFor('tally', head);
      const table = await rows(a);
      expect(table).toEqual(expectedRows(await allEvents(), tally()));
      const owners = new Set((await a.status()).map((g) => g.leaseOwner));
      expect(owners.size).toBe(1);
    });
  });
}
