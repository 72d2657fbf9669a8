import { randomUUID } from 'node:crypto';
import {
  type EventToAppend,
  IdempotencyConflictError,
  InvalidAppendError,
  START,
  WrongExpectedVersionError,
  logPosition,
} from '@doorbraak/event-store';
import { ANY, NO_STREAM, START as KURRENT_START, STREAM_EXISTS, WrongExpectedVersionError as ClientWrongVersion } from '@kurrent/kurrentdb-client';
import { FakeKurrentClient } from './fake-kurrent-client.fixtures';
import { KurrentDbEventStore, fromKurrentPosition, toKurrentPosition, toStreamState, toVersion } from './kurrentdb-event-store';

const event = (overrides: Partial<EventToAppend> = {}): EventToAppend => ({
  eventId: randomUUID(),
  type: 'ThingHappened',
  schemaVersion: 1,
  data: { n: 1 },
  metadata: { actor: 'user-1', correlationId: randomUUID(), tenant: 'gm0363' },
  ...overrides,
});
const stream = (category = 'thing') => `${category}-${randomUUID()}`;

describe('KurrentDbEventStore mapping (against an in-memory client)', () => {
  let client: FakeKurrentClient;
  let store: KurrentDbEventStore;
  beforeEach(() => {
    client = new FakeKurrentClient();
    store = new KurrentDbEventStore(client, { pageSize: 3 });
  });

  describe('expected versions', () => {
    it.each([
      ['any', ANY],
      ['no_stream', NO_STREAM],
      ['stream_exists', STREAM_EXISTS],
    ] as const)('maps %s to the client constant', (mode, state) => {
      expect(toStreamState(mode)).toBe(state);
    });

    it('maps version n to revision n-1 and version 0 to "no stream"', () => {
      expect(toStreamState(0n)).toBe(NO_STREAM);
      expect(toStreamState(1n)).toBe(0n);
      expect(toStreamState(42n)).toBe(41n);
    });

    it('passes the mapped state to appendToStream', async () => {
      const s = stream();
      await store.append(s, [event()], 0n);
      await store.append(s, [event()], 1n);
      await store.append(s, [event()], 'stream_exists');
      await store.append(s, [event()], 'any');
      const states = client.calls.filter((c) => c.method === 'appendToStream').map((c) => (c.args[2] as { streamState: unknown }).streamState);
      expect(states).toEqual([NO_STREAM, 0n, STREAM_EXISTS, ANY]);
    });

    it('maps current revisions back to versions', () => {
      expect(toVersion(NO_STREAM)).toBe(0n);
      expect(toVersion(2n)).toBe(3n);
    });

    it('translates a wrong expected version on an existing stream with the actual version', async () => {
      const s = stream();
      await store.append(s, [event(), event(), event()], 'no_stream');
      const error = await store.append(s, [event()], 'no_stream').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: s, expected: 'no_stream', actual: 3n });
      await expect(store.append(s, [event()], 1n)).rejects.toMatchObject({ expected: 1n, actual: 3n });
    });

    it('translates a wrong expected version on a missing stream to actual 0', async () => {
      const s = stream();
      await expect(store.append(s, [event()], 'stream_exists')).rejects.toMatchObject({ streamId: s, actual: 0n });
      await expect(store.append(s, [event()], 4n)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    });

    it('rethrows errors other than a wrong expected version', async () => {
      const failing = new FakeKurrentClient();
      failing.appendToStream = async () => {
        throw new Error('unavailable');
      };
      await expect(new KurrentDbEventStore(failing).append(stream(), [event()], 'any')).rejects.toThrow('unavailable');
    });
  });

  describe('append results and idempotency', () => {
    it('returns the version, a position per event and the log position of the last', async () => {
      const s = stream();
      const result = await store.append(s, [event(), event()], 'no_stream');
      const [a, b] = client.log;
      expect(result).toEqual({
        streamVersion: 2n,
        globalPositions: [a!.position.commit, b!.position.commit],
        logPosition: fromKurrentPosition(b!.position),
      });
    });

    it('returns the original result for a retry and writes nothing (stale version: server refuses)', async () => {
      const s = stream();
      await store.append(s, [event()], 'no_stream');
      const events = [event(), event()];
      const first = await store.append(s, events, 1n);
      await store.append(s, [event()], 'any');
      const before = client.log.length;
      await expect(store.append(s, events, 1n)).resolves.toEqual(first);
      await expect(store.append(s, events, 'no_stream')).resolves.toEqual(first);
      expect(client.log).toHaveLength(before);
    });

    it('returns the original result when the server acknowledges the retry itself', async () => {
      const s = stream();
      const events = [event(), event()];
      const first = await store.append(s, events, 'any');
      await expect(store.append(s, events, 'any')).resolves.toEqual(first);
      expect(client.log).toHaveLength(2);
    });

    it('refuses a partial overlap of ids with IdempotencyConflictError, writing nothing', async () => {
      const s = stream();
      const stored = event();
      await store.append(s, [stored], 'any');
      await expect(store.append(s, [stored, event()], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(client.log).toHaveLength(1);
    });

    it('refuses stored ids in a different order', async () => {
      const s = stream();
      const [a, b] = [event(), event()];
      await store.append(s, [a, b], 'any');
      await expect(store.append(s, [b, a], 1n)).rejects.toBeInstanceOf(IdempotencyConflictError);
    });

    it('notifies listeners after a successful append only', async () => {
      const listener = jest.fn();
      const unsubscribe = store.onAppended(listener);
      const s = stream();
      await store.append(s, [event()], 'no_stream');
      await store.append(s, [event()], 'no_stream').catch(() => undefined);
      expect(listener).toHaveBeenCalledTimes(1);
      unsubscribe();
      await store.append(s, [event()], 'any');
      expect(listener).toHaveBeenCalledTimes(1);
    });

    it.each([
      ['a bad stream id', 'no category', [event()], 'streamId'],
      ['an empty append', stream(), [], 'events'],
      ['a bad event id', stream(), [event({ eventId: 'nope' })], 'events/0/eventId'],
      ['unstorable text', stream(), [event({ data: { t: 'a\u0000' } })], 'events/0/data/t'],
    ] as const)('rejects %s before calling the client', async (_what, s, events, path) => {
      const error = await store.append(s, events as readonly EventToAppend[], 'any').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidAppendError);
      expect(error).toMatchObject({ path });
      expect(client.calls).toEqual([]);
    });
  });

  describe('envelopes', () => {
    it('stores schemaVersion in the metadata and reads the whole envelope back', async () => {
      const s = stream('plan');
      const e = event({ type: 'PlanDrafted', schemaVersion: 3, metadata: { actor: 'a', onBehalfOf: 'b', correlationId: 'c', tenant: 't' } });
      const result = await store.append(s, [e], 'no_stream');
      const written = client.calls[0]!.args[1] as { id: string; type: string; data: unknown; metadata: unknown }[];
      expect(written[0]).toMatchObject({ id: e.eventId, type: 'PlanDrafted', data: e.data, metadata: { ...e.metadata, schemaVersion: 3 } });
      const [recorded] = await store.readStream(s);
      expect(recorded).toEqual({
        eventId: e.eventId,
        type: 'PlanDrafted',
        schemaVersion: 3,
        streamId: s,
        category: 'plan',
        streamVersion: 1n,
        globalPosition: result.globalPositions[0],
        logPosition: result.logPosition,
        recordedAt: client.log[0]!.created,
        data: e.data,
        metadata: e.metadata,
      });
    });

    it('defaults schemaVersion to 1 when the metadata has none', async () => {
      const s = stream();
      await store.append(s, [event()], 'any');
      delete (client.log[0]!.metadata as Record<string, unknown>).schemaVersion;
      expect((await store.readStream(s))[0]!.schemaVersion).toBe(1);
    });

    it('converts LogPosition and {commit, prepare} both ways', () => {
      expect(fromKurrentPosition({ commit: 1234n, prepare: 1200n })).toBe(logPosition(1234n, 1200n));
      expect(toKurrentPosition(logPosition(1234n, 1200n))).toEqual({ commit: 1234n, prepare: 1200n });
      expect(toKurrentPosition(START)).toBe(KURRENT_START);
    });
  });

  describe('readStream', () => {
    it('reads forwards, backwards, from a version, with a limit', async () => {
      const s = stream();
      await store.append(s, [event(), event(), event(), event(), event()], 'no_stream');
      const versions = async (o: Parameters<KurrentDbEventStore['readStream']>[1]) => (await store.readStream(s, o)).map((e) => e.streamVersion);
      expect(await versions({})).toEqual([1n, 2n, 3n, 4n, 5n]);
      expect(await versions({ fromVersion: 3n, limit: 2 })).toEqual([3n, 4n]);
      expect(await versions({ direction: 'backwards', limit: 2 })).toEqual([5n, 4n]);
      expect(await versions({ direction: 'backwards', fromVersion: 2n })).toEqual([2n, 1n]);
      const last = client.calls[client.calls.length - 1]!.args[1];
      expect(last).toMatchObject({ direction: 'backwards', fromRevision: 1n });
    });

    it('returns [] for a missing stream', async () => {
      await expect(store.readStream(stream())).resolves.toEqual([]);
    });

    it('rethrows other read errors', async () => {
      client.readStream = async function* () {
        yield* [];
        throw new ClientWrongVersion(undefined, { streamName: 'x', expected: ANY, current: 1n });
      };
      await expect(store.readStream(stream())).rejects.toBeInstanceOf(ClientWrongVersion);
    });
  });

  describe('readAll, head and countAfter', () => {
    it('reports an empty log (even with system events) as the start', async () => {
      client.system('$stats-127.0.0.1:2113', '$statsCollected');
      expect(await store.head()).toBe(START);
      expect(await store.readAll({ after: START, limit: 10 })).toEqual({ events: [], scannedTo: START });
    });

    it('reads after a position exclusively, page by page, skipping system events', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const events = [event(), event()];
        await store.append(stream(i % 2 ? 'plan' : 'budget'), events, 'any');
        ids.push(...events.map((e) => e.eventId));
        client.system('$$plan-x', '$metadata');
      }
      const seen: string[] = [];
      let after = START;
      for (;;) {
        const page = await store.readAll({ after, limit: 3 });
        if (page.scannedTo === after) break;
        seen.push(...page.events.map((e) => e.eventId));
        after = page.scannedTo;
      }
      expect(seen).toEqual(ids);
      expect(after).toBe(await store.head());
    });

    it('ends a full page at its last event and a short page at the head', async () => {
      const a = await store.append(stream(), [event(), event()], 'any');
      const full = await store.readAll({ after: START, limit: 2 });
      expect(full.scannedTo).toBe(a.logPosition);
      const b = await store.append(stream(), [event()], 'any');
      client.system('$stats-x', '$statsCollected');
      const short = await store.readAll({ after: a.logPosition, limit: 5 });
      expect(short.events).toHaveLength(1);
      expect(short.scannedTo).toBe(b.logPosition);
      expect(await store.readAll({ after: b.logPosition, limit: 5 })).toEqual({ events: [], scannedTo: b.logPosition });
    });

    it('filters by category (stream-name prefix on the server) and exact type, moving past what it filtered', async () => {
      const plan = event({ type: 'PlanDrafted' });
      await store.append(stream('plan'), [plan], 'any');
      await store.append(stream('plan'), [event({ type: 'PlanDraftedLater' })], 'any');
      await store.append(stream('planning'), [event({ type: 'PlanDrafted' })], 'any');
      const last = await store.append(stream('budget'), [event({ type: 'PlanDrafted' })], 'any');
      const page = await store.readAll({ after: START, limit: 10, categories: ['plan'], types: ['PlanDrafted'] });
      expect(page.events.map((e) => e.eventId)).toEqual([plan.eventId]);
      expect(page.scannedTo).toBe(last.logPosition);
      const read = client.calls.filter((c) => c.method === 'readAll').map((c) => (c.args[0] as { filter: unknown }).filter);
      expect(read).toContainEqual(expect.objectContaining({ filterOn: 'streamName', prefixes: ['plan-'] }));
      const types = await store.readAll({ after: START, limit: 10, types: ['PlanDrafted'] });
      expect(types.events).toHaveLength(3);
      expect(await store.countAfter(START, { categories: ['plan'] })).toBe(2);
      expect(await store.countAfter(START)).toBe(4);
      expect(await store.countAfter(START, {}, 3)).toBe(3);
      expect(await store.countAfter(START, { types: [] })).toBe(0);
    });

    it('gives a short page with scannedTo at the last event looked at when the filter discards a lot', async () => {
      for (let i = 0; i < 70; i++) await store.append(stream('plan'), [event({ type: 'Other' })], 'any');
      const wanted = event({ type: 'Wanted' });
      await store.append(stream('plan'), [wanted], 'any');
      const page = await store.readAll({ after: START, limit: 2, categories: ['plan'], types: ['Wanted'] });
      expect(page.events).toEqual([]);
      expect(page.scannedTo > START).toBe(true);
      const next = await store.readAll({ after: page.scannedTo, limit: 2, categories: ['plan'], types: ['Wanted'] });
      expect(next.events.map((e) => e.eventId)).toEqual([wanted.eventId]);
    });

    it('finds the head behind trailing system events', async () => {
      const { logPosition: last } = await store.append(stream(), [event()], 'any');
      for (let i = 0; i < 7; i++) client.system('$stats-x', '$statsCollected');
      expect(await store.head()).toBe(last);
    });
  });

  describe('category prefix', () => {
    it('writes <prefix><category>-<id>, strips it on read and sees only its own streams', async () => {
      const other = new KurrentDbEventStore(client, { categoryPrefix: 'tb_' });
      const mine = new KurrentDbEventStore(client, { categoryPrefix: 'ta_' });
      await other.append(stream('plan'), [event()], 'any');
      const s = stream('plan');
      const { logPosition: last } = await mine.append(s, [event()], 'any');
      await other.append(stream('plan'), [event()], 'any');
      expect(client.log[1]!.streamId).toBe(`ta_${s}`);
      const page = await mine.readAll({ after: START, limit: 10 });
      expect(page.events.map((e) => [e.streamId, e.category])).toEqual([[s, 'plan']]);
      expect(page.scannedTo).toBe(last);
      expect(await mine.head()).toBe(last);
      expect(await mine.countAfter(START, { categories: ['plan'] })).toBe(1);
      expect(await mine.readStream(s)).toHaveLength(1);
    });

    it('refuses a prefix that could clash with stream names', () => {
      expect(() => new KurrentDbEventStore(client, { categoryPrefix: '$x' })).toThrow(RangeError);
    });
  });

  it('disposes the client on close', async () => {
    await store.close();
    expect(client.disposed).toBe(true);
  });
});
