import { randomUUID } from 'node:crypto';
import { type EventToAppend, IdempotencyConflictError, START, WrongExpectedVersionError } from '@doorbraak/event-store';
import { anEvent } from '@doorbraak/event-store-contract';
import { FakeKurrentClient } from './fake-kurrent-client.fixtures';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const stream = (category = 'thing') => `${category}-${randomUUID()}`;

describe('KurrentDbEventStore: one event id, one stream', () => {
  let client: FakeKurrentClient;
  let store: KurrentDbEventStore;
  beforeEach(() => {
    client = new FakeKurrentClient();
    store = new KurrentDbEventStore(client);
  });

  /** How many times each id is stored in a ledger stream (claims excluded). */
  const copies = (events: readonly EventToAppend[]) =>
    events.map((e) => client.log.filter((r) => r.id === e.eventId && !r.streamId.startsWith('_')).length);

  describe('given an id stored in one stream', () => {
    it('claims it in a stream of its own that names the stream it was appended to', async () => {
      const s = stream();
      const event = anEvent();
      await store.append(s, [event], 'no_stream');
      const claims = client.log.filter((r) => r.streamId === `_event_id-${event.eventId}`);
      expect(claims).toHaveLength(1);
      expect(claims[0]).toMatchObject({ type: 'EventIdClaimed', data: { streamId: s } });
      expect(claims[0]!.id).not.toBe(event.eventId);
    });

    it('refuses it on another stream with IdempotencyConflictError, writing nothing there', async () => {
      const stored = anEvent();
      await store.append(stream(), [stored], 'any');
      const other = stream();
      const error = await store.append(other, [anEvent(), stored], 'no_stream').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyConflictError);
      expect(error).toMatchObject({ streamId: other });
      expect(await store.readStream(other)).toEqual([]);
      expect(copies([stored])).toEqual([1]);
    });

    it('refuses it on the same stream when it comes with new ids, after them or in another order', async () => {
      const s = stream();
      const [a, b] = [anEvent(), anEvent()];
      await store.append(s, [a, b], 'no_stream');
      await expect(store.append(s, [anEvent(), a], 2n)).rejects.toBeInstanceOf(IdempotencyConflictError);
      await expect(store.append(s, [b, a], 2n)).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(copies([a, b])).toEqual([1, 1]);
    });

    it('answers a retry with the original result whatever expectation it carries', async () => {
      const s = stream();
      const events = [anEvent(), anEvent()];
      const first = await store.append(s, events, 'no_stream');
      await store.append(s, [anEvent()], 'any');
      for (const expected of ['no_stream', 'any', 'stream_exists', 0n, 2n, 3n] as const) {
        await expect(store.append(s, events, expected)).resolves.toEqual(first);
      }
      expect(copies(events)).toEqual([1, 1]);
    });
  });

  describe('given an append that failed', () => {
    it('keeps its ids for its stream: a retry there succeeds, another stream is refused', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'no_stream');
      const events = [anEvent()];
      await expect(store.append(s, events, 5n)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(store.append(stream(), events, 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
      await expect(store.append(s, events, 3n)).rejects.toMatchObject({ constructor: WrongExpectedVersionError, actual: 1n });
      await expect(store.append(s, events, 1n)).resolves.toMatchObject({ streamVersion: 2n });
      const sentTo = client.calls.filter((c) => c.method === 'appendToStream' && c.args[0] === s);
      expect(sentTo.map((c) => (c.args[2] as { streamState: unknown }).streamState)).toEqual(['no_stream', 4n, 2n, 0n]);
    });
  });

  describe('given concurrent appends of the same ids', () => {
    it('lets exactly one of two streams have them', async () => {
      const events = [anEvent(), anEvent()];
      const outcomes = await Promise.allSettled([store.append(stream(), events, 'any'), new KurrentDbEventStore(client).append(stream(), events, 'any')]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: expect.any(IdempotencyConflictError) });
      expect(copies(events)).toEqual([1, 1]);
    });

    it.each([
      ['while the first is still reading the stream', 'readStream', 'any', false],
      ['between the first one claiming and appending', 'appendToStream', 'any', false],
      ['after another writer, before the first appends', 'appendToStream', 'no_stream', true],
    ] as const)('stores one copy when a twin lands %s', async (_when, held, expected, otherWriterFirst) => {
      const s = stream();
      const events = [anEvent(), anEvent()];
      const hold = client.holdNext(held, s);
      const first = store.append(s, events, expected);
      await hold.reached;
      const other = new KurrentDbEventStore(client);
      if (otherWriterFirst) await other.append(s, [anEvent()], 'any');
      const twin = await other.append(s, events, 'any');
      hold.release();
      await expect(first).resolves.toEqual(twin);
      expect(twin.streamVersion).toBe(otherWriterFirst ? 3n : 2n);
      expect(copies(events)).toEqual([1, 1]);
    });

    it('settles twenty retries racing each other on one copy', async () => {
      const s = stream();
      const events = [anEvent(), anEvent(), anEvent()];
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => new KurrentDbEventStore(client).append(s, events, i % 2 ? 'any' : 'no_stream')));
      results.forEach((r) => expect(r).toEqual(results[0]));
      expect(copies(events)).toEqual([1, 1, 1]);
    });
  });

  describe('claims', () => {
    it('are never read as ledger events: not by readAll, head, countAfter nor the append signal', async () => {
      const listener = jest.fn();
      store.onAppended(listener);
      await Promise.resolve();
      listener.mockClear();
      const { logPosition } = await store.append(stream(), [anEvent()], 'any');
      const signals = listener.mock.calls.length;
      // A refused append leaves a claim after the last ledger event.
      const stored = anEvent();
      await store.append(stream(), [stored], 'any');
      const refused = await store.append(stream(), [anEvent(), stored], 'any').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(IdempotencyConflictError);
      expect(client.log.at(-1)!.streamId).toMatch(/^_event_id-/);
      const page = await store.readAll({ after: START, limit: 100 });
      expect(page.events.map((e) => e.streamId).filter((id) => id.startsWith('_'))).toEqual([]);
      expect(page.events).toHaveLength(2);
      expect(await store.head()).toBe(page.events[1]!.logPosition);
      expect(page.events[0]!.logPosition).toBe(logPosition);
      expect(await store.countAfter(START)).toBe(2);
      expect((await store.readAll({ after: START, limit: 100, types: ['EventIdClaimed'] })).events).toEqual([]);
      expect(await store.countAfter(START, { types: ['EventIdClaimed'] })).toBe(0);
      expect(listener.mock.calls.length - signals).toBe(2);
    });

    it('belong to one prefix: two ledgers on one server may each use an id', async () => {
      const events = [anEvent()];
      const s = stream();
      await new KurrentDbEventStore(client, { categoryPrefix: 'ta_' }).append(s, events, 'no_stream');
      await expect(new KurrentDbEventStore(client, { categoryPrefix: 'tb_' }).append(s, events, 'no_stream')).resolves.toMatchObject({ streamVersion: 1n });
    });
  });
});
