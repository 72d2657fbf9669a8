import { randomUUID } from 'node:crypto';
import {
  type CheckpointStore,
  type EventStore,
  type EventToAppend,
  type JsonObject,
  type RecordedEvent,
  IdempotencyConflictError,
  InvalidAppendError,
  START,
  WrongExpectedVersionError,
  catchUp,
  untilVisible,
} from '@doorbraak/event-store';

/** A transaction that has appended but not yet committed. */
export interface HeldAppend {
  commit(): Promise<void>;
}

export interface EventStoreHarness {
  /** A fresh, empty store (its own schema or database). */
  open(): Promise<EventStore & CheckpointStore>;
  /**
   * Appends in a transaction that stays open until `commit`, for the late-commit case. Only adapters whose
   * backend runs transactions side by side provide it.
   */
  holdAppend?(store: EventStore, streamId: string, events: EventToAppend[]): Promise<HeldAppend>;
}

let counter = 0;
export function anEvent(overrides: Partial<EventToAppend> & { data?: JsonObject } = {}): EventToAppend {
  counter += 1;
  return {
    eventId: randomUUID(),
    type: 'ThingHappened',
    schemaVersion: 1,
    data: { n: counter },
    metadata: { actor: 'user-1', correlationId: randomUUID(), tenant: 'gm0363' },
    ...overrides,
  };
}

const stream = (category = 'thing') => `${category}-${randomUUID()}`;

const ids = (events: readonly RecordedEvent[]) => events.map((e) => e.eventId);

/** The behaviour every event store adapter must have. Run it from each adapter's spec. */
export function describeEventStoreContract(harness: EventStoreHarness): void {
  let store: EventStore & CheckpointStore;
  beforeEach(async () => {
    store = await harness.open();
  });
  afterEach(async () => {
    await store.close();
  });

  describe('append with an expected version', () => {
    it('starts a stream at version 1 when no stream is expected', async () => {
      const s = stream();
      const result = await store.append(s, [anEvent(), anEvent()], 'no_stream');
      expect(result.streamVersion).toBe(2n);
      expect(result.globalPositions).toHaveLength(2);
      expect(result.globalPositions[1]! > result.globalPositions[0]!).toBe(true);
    });

    it('treats exact version 0 as "no stream"', async () => {
      const s = stream();
      await expect(store.append(s, [anEvent()], 0n)).resolves.toMatchObject({ streamVersion: 1n });
      await expect(store.append(s, [anEvent()], 0n)).rejects.toBeInstanceOf(WrongExpectedVersionError);
    });

    it('refuses "no stream" when the stream exists, naming the actual version', async () => {
      const s = stream();
      await store.append(s, [anEvent(), anEvent(), anEvent()], 'any');
      const error = await store.append(s, [anEvent()], 'no_stream').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: s, expected: 'no_stream', actual: 3n });
    });

    it('appends at the exact current version and refuses a stale one', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'no_stream');
      await expect(store.append(s, [anEvent()], 1n)).resolves.toMatchObject({ streamVersion: 2n });
      await expect(store.append(s, [anEvent()], 1n)).rejects.toMatchObject({ actual: 2n, expected: 1n });
      await expect(store.append(s, [anEvent()], 7n)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(await store.readStream(s)).toHaveLength(2);
    });

    it('refuses "stream exists" for a missing stream and accepts it for a present one', async () => {
      const s = stream();
      await expect(store.append(s, [anEvent()], 'stream_exists')).rejects.toMatchObject({ actual: 0n });
      await store.append(s, [anEvent()], 'any');
      await expect(store.append(s, [anEvent()], 'stream_exists')).resolves.toMatchObject({ streamVersion: 2n });
    });

    it('accepts "any" whether or not the stream exists', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'any');
      await expect(store.append(s, [anEvent()], 'any')).resolves.toMatchObject({ streamVersion: 2n });
    });

    it('lets exactly one of 200 concurrent appends at the same version win', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'no_stream');
      const outcomes = await Promise.allSettled(Array.from({ length: 200 }, () => store.append(s, [anEvent()], 1n)));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(199);
      lost.forEach((o) => expect(o.reason).toBeInstanceOf(WrongExpectedVersionError));
      expect(await store.readStream(s)).toHaveLength(2);
    });
  });

  describe('idempotent retries', () => {
    it('returns the original result for the same event ids and writes nothing', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'no_stream');
      const events = [anEvent(), anEvent()];
      const first = await store.append(s, events, 1n);
      const retry = await store.append(s, events, 1n);
      expect(retry).toEqual(first);
      expect(await store.readStream(s)).toHaveLength(3);
    });

    it('recognises a retry whatever expected version it carries', async () => {
      const s = stream();
      const events = [anEvent()];
      const first = await store.append(s, events, 'any');
      await store.append(s, [anEvent()], 'any');
      await expect(store.append(s, events, 'no_stream')).resolves.toEqual(first);
    });

    it('refuses an append that reuses only some stored ids, writing nothing', async () => {
      const s = stream();
      const stored = anEvent();
      await store.append(s, [stored], 'any');
      await expect(store.append(s, [stored, anEvent()], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(await store.readStream(s)).toHaveLength(1);
    });

    it('refuses stored ids sent to another stream', async () => {
      const stored = anEvent();
      await store.append(stream(), [stored], 'any');
      await expect(store.append(stream(), [stored], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
    });

    it('settles concurrent retries of one append on a single copy', async () => {
      const s = stream();
      const events = [anEvent(), anEvent()];
      const results = await Promise.all(Array.from({ length: 20 }, () => store.append(s, events, 'any')));
      results.forEach((r) => expect(r).toEqual(results[0]));
      expect(await store.readStream(s)).toHaveLength(2);
    });
  });

  describe('input it cannot store', () => {
    it.each([
      ['a U+0000 character', { text: 'a\u0000b' }, 'events/0/data/text'],
      ['an unpaired surrogate', { text: 'x\uD800y' }, 'events/0/data/text'],
      ['a non-finite number', { amount: Number.NaN }, 'events/0/data/amount'],
      ['a U+0000 character deep in lists and keys that need escaping', { 'a/b': [{ ok: 'x' }, { '~c': 'y\u0000' }] }, 'events/0/data/a~1b/1/~0c'],
      ['a U+0000 character in a key', { nested: { 'a\u0000': 1 } }, 'events/0/data/nested'],
    ])('refuses %s with the path and writes nothing', async (_what, data, path) => {
      const s = stream();
      const error = await store.append(s, [anEvent({ data: data as JsonObject })], 'any').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidAppendError);
      expect(error).toMatchObject({ path });
      expect(await store.readStream(s)).toEqual([]);
    });

    it('refuses a malformed stream id, event id or an empty append', async () => {
      await expect(store.append('no category', [anEvent()], 'any')).rejects.toMatchObject({ path: 'streamId' });
      await expect(store.append(stream(), [anEvent({ eventId: 'nope' })], 'any')).rejects.toMatchObject({ path: 'events/0/eventId' });
      await expect(store.append(stream(), [], 'any')).rejects.toMatchObject({ path: 'events' });
      expect(await store.head()).toBe(START);
    });
  });

  describe('payloads', () => {
    it('round-trips unicode exactly, in keys and values', async () => {
      const s = stream();
      const data = {
        naam: 'Zoë Çelik-Đorđević',
        'sleutel 🔑': '👨‍👩‍👧‍👦 مرحبا שלום 你好 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
        combining: 'e\u0301 vs é',
        quotes: '"\'\\/\n\t',
        nested: { list: ['€ 1.052,32', 1.5, -0, true, null] },
      };
      await store.append(s, [anEvent({ data })], 'any');
      const [event] = await store.readStream(s);
      expect(event!.data).toEqual({ ...data, nested: { list: ['€ 1.052,32', 1.5, 0, true, null] } });
    });

    it('stores a payload of several megabytes', async () => {
      const s = stream();
      const big = { text: 'ä€𝄞'.repeat(400_000), items: Array.from({ length: 20_000 }, (_, i) => ({ i, label: `item ${i}` })) };
      await store.append(s, [anEvent({ data: big })], 'any');
      const [event] = await store.readStream(s);
      expect(event!.data).toEqual(big);
    });
  });

  describe('reading a stream', () => {
    it('reads forwards and backwards, from a version, with a limit', async () => {
      const s = stream();
      const events = Array.from({ length: 5 }, () => anEvent());
      await store.append(s, events, 'no_stream');
      expect(ids(await store.readStream(s))).toEqual(events.map((e) => e.eventId));
      expect((await store.readStream(s, { fromVersion: 3n, limit: 2 })).map((e) => e.streamVersion)).toEqual([3n, 4n]);
      expect((await store.readStream(s, { direction: 'backwards', limit: 2 })).map((e) => e.streamVersion)).toEqual([5n, 4n]);
      expect((await store.readStream(s, { direction: 'backwards', fromVersion: 2n })).map((e) => e.streamVersion)).toEqual([2n, 1n]);
      expect(await store.readStream(stream())).toEqual([]);
    });

    it('returns the whole envelope', async () => {
      const s = stream('plan');
      const event = anEvent({
        type: 'PlanDrafted',
        schemaVersion: 2,
        metadata: { actor: 'prof-7', onBehalfOf: 'college-gm0363', correlationId: randomUUID(), causationId: randomUUID(), tenant: 'gm0363' },
      });
      const before = Date.now();
      const result = await store.append(s, [event], 'no_stream');
      const [recorded] = await store.readStream(s);
      expect(recorded).toEqual({
        eventId: event.eventId,
        type: 'PlanDrafted',
        schemaVersion: 2,
        streamId: s,
        category: 'plan',
        streamVersion: 1n,
        globalPosition: result.globalPositions[0],
        logPosition: result.logPosition,
        recordedAt: expect.any(Date),
        data: event.data,
        metadata: event.metadata,
      });
      expect(Math.abs(recorded!.recordedAt.getTime() - before)).toBeLessThan(60_000);
    });
  });

  describe('reading the global log', () => {
    it('returns every event once, in append order, page by page', async () => {
      const appended: string[] = [];
      let last = START;
      for (let i = 0; i < 12; i++) {
        const events = [anEvent(), anEvent()];
        ({ logPosition: last } = await store.append(stream(i % 2 ? 'plan' : 'budget'), events, 'any'));
        appended.push(...events.map((e) => e.eventId));
      }
      await untilVisible(store, last);
      const seen: RecordedEvent[] = [];
      let after = START;
      for (;;) {
        const page = await store.readAll({ after, limit: 5 });
        if (page.scannedTo === after) break;
        seen.push(...page.events);
        after = page.scannedTo;
      }
      expect(ids(seen)).toEqual(appended);
      const positions = seen.map((e) => e.logPosition);
      expect([...positions].sort()).toEqual(positions);
      expect(after).toBe(await store.head());
    });

    it('filters by category and type and still moves past what it filtered out', async () => {
      const plan = anEvent({ type: 'PlanDrafted' });
      await store.append(stream('plan'), [plan], 'any');
      await store.append(stream('plan'), [anEvent({ type: 'PlanClosed' })], 'any');
      await untilVisible(store, (await store.append(stream('budget'), [anEvent({ type: 'PlanDrafted' })], 'any')).logPosition);
      const page = await store.readAll({ after: START, limit: 10, categories: ['plan'], types: ['PlanDrafted'] });
      expect(ids(page.events)).toEqual([plan.eventId]);
      expect(page.scannedTo).toBe(await store.head());
      expect(await store.countAfter(START, { categories: ['plan'] })).toBe(2);
      expect(await store.countAfter(START)).toBe(3);
    });

    it('reports an empty log as the start', async () => {
      expect(await store.head()).toBe(START);
      expect(await store.readAll({ after: START, limit: 10 })).toEqual({ events: [], scannedTo: START });
    });
  });

  describe('catch-up consumers', () => {
    it('deliver every event exactly once, in stream order, while writers are appending', async () => {
      const writers = 8;
      const perWriter = 25;
      const controller = new AbortController();
      const delivered: RecordedEvent[] = [];
      const expectedTotal = writers * perWriter;
      let done!: () => void;
      const allDelivered = new Promise<void>((resolve) => (done = resolve));
      const consumer = catchUp({
        store,
        from: START,
        batchSize: 7,
        idleMs: 5,
        signal: controller.signal,
        handle: async (page) => {
          delivered.push(...page.events);
          if (delivered.length >= expectedTotal) done();
        },
      });
      await Promise.all(
        Array.from({ length: writers }, async () => {
          const s = stream();
          for (let v = 0; v < perWriter; v++) await store.append(s, [anEvent()], BigInt(v));
        }),
      );
      await allDelivered;
      controller.abort();
      await consumer;
      expect(new Set(ids(delivered)).size).toBe(expectedTotal);
      expect(delivered).toHaveLength(expectedTotal);
      const byStream = new Map<string, bigint[]>();
      delivered.forEach((e) => byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion]));
      byStream.forEach((versions) => expect(versions).toEqual(versions.map((_, i) => BigInt(i + 1))));
      const positions = delivered.map((e) => e.logPosition);
      expect([...positions].sort()).toEqual(positions);
    });

    it('store checkpoints with compare-and-set', async () => {
      expect(await store.load('mailer')).toBe(START);
      const { logPosition } = await store.append(stream(), [anEvent()], 'any');
      expect(await store.save('mailer', START, logPosition)).toBe(true);
      expect(await store.save('mailer', START, logPosition)).toBe(false);
      expect(await store.load('mailer')).toBe(logPosition);
    });
  });

  if (harness.holdAppend) {
    const holdAppend = harness.holdAppend.bind(harness);
    describe('an event whose transaction commits late', () => {
      it('is still delivered to a consumer that has read past later events', async () => {
        const late = anEvent();
        const early = anEvent();
        const held = await holdAppend(store, stream(), [late]);
        await store.append(stream(), [early], 'any');
        const whileHeld = await store.readAll({ after: START, limit: 10 });
        await held.commit();
        const afterCommit = await store.readAll({ after: whileHeld.scannedTo, limit: 10 });
        expect([...ids(whileHeld.events), ...ids(afterCommit.events)]).toEqual([late.eventId, early.eventId]);
      });
    });
  }
}
