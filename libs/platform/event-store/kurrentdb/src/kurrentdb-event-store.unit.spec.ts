import { randomUUID } from 'node:crypto';
import {
  type EventToAppend,
  type JsonObject,
  EventStoreAccessDeniedError,
  type UnitOutcome,
  EventStoreUnavailableError,
  IdempotencyConflictError,
  InvalidAppendError,
  START,
  StreamDeletedError,
  WrongExpectedVersionError,
  splitLogPosition,
  validateAppend,
} from '@doorbraak/event-store';
import { anEvent } from '@doorbraak/event-store-contract';
import { type AppendStreamRequest, ANY, NO_STREAM, STREAM_EXISTS, WrongExpectedVersionError as ClientWrongVersion, jsonEvent } from '@kurrent/kurrentdb-client';
import { FakeKurrentClient, clientErrors } from './fake-kurrent-client.fixtures';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { fromKurrentPosition } from './kurrentdb-mapping';

const stream = (category = 'thing') => `${category}-${randomUUID()}`;
const ids = (events: readonly { eventId: string }[]) => events.map((e) => e.eventId);

describe('KurrentDbEventStore (against an in-memory client)', () => {
  let client: FakeKurrentClient;
  let store: KurrentDbEventStore;
  beforeEach(() => {
    client = new FakeKurrentClient();
    store = new KurrentDbEventStore(client, { pageSize: 3 });
  });

  const statesSentTo = (name: string) =>
    client.calls.filter((c) => c.method === 'appendToStream' && c.args[0] === name).map((c) => (c.args[2] as { streamState: unknown }).streamState);

  describe('units', () => {
    const ok = (outcome: UnitOutcome) => {
      if ('error' in outcome) throw outcome.error;
      return outcome.ok;
    };
    const failed = (outcome: UnitOutcome) => (outcome as { error: unknown }).error;

    it('sends a unit as one request: its streams, then a claim per event id expecting no stream; a refused one writes no claim', async () => {
      const [shared, a, c] = [stream(), stream(), stream()];
      await store.append(shared, [anEvent()], 'no_stream');
      const [first, stale] = [[anEvent(), anEvent(), anEvent()], anEvent()];
      const outcomes = await store.appendUnits([
        [{ streamId: shared, events: first.slice(0, 1), expected: 1n }, { streamId: a, events: first.slice(1), expected: 'no_stream' }],
        [{ streamId: c, events: [stale], expected: 'no_stream' }, { streamId: shared, events: [anEvent()], expected: 1n }],
      ]);
      expect(ok(outcomes[0]!).map((r) => r.streamVersion)).toEqual([2n, 2n]);
      expect(failed(outcomes[1]!)).toBeInstanceOf(WrongExpectedVersionError);
      expect(client.log.filter((e) => e.streamId === `_event_id-${stale.eventId}`)).toEqual([]);
      const requests = client.calls.filter((call) => call.method === 'multiStreamAppend').map((call) => call.args[0] as AppendStreamRequest[]);
      expect(requests).toHaveLength(2);
      expect(requests[0]!.map((r) => r.streamName)).toEqual([shared, a, ...first.map((e) => `_event_id-${e.eventId}`)]);
      expect(requests[0]!.map((r) => r.expectedState)).toEqual([0n, NO_STREAM, NO_STREAM, NO_STREAM, NO_STREAM]);
    });

    it('reads events of a unit back as they were given, schema version and metadata included', async () => {
      const [x, y] = [stream(), stream()];
      const event = anEvent({ schemaVersion: 3, metadata: { actor: 'user-2', correlationId: randomUUID(), tenant: 'gm0363', subject: 'household-1' } });
      const [outcome] = await store.appendUnits([[{ streamId: x, events: [event], expected: 'no_stream' }, { streamId: y, events: [anEvent()], expected: 'no_stream' }]]);
      const [read] = await store.readStream(x);
      expect(read).toMatchObject({ eventId: event.eventId, schemaVersion: 3, metadata: event.metadata, data: event.data, globalPosition: ok(outcome!)[0]!.globalPositions[0] });
    });

    it('answers a retried unit with its original results also after one of its streams moved on', async () => {
      const [x, y] = [stream(), stream()];
      const unit = [
        { streamId: x, events: [anEvent()], expected: 'any' as const },
        { streamId: y, events: [anEvent()], expected: 'no_stream' as const },
      ];
      const [first] = await store.appendUnits([unit]);
      await store.append(x, [anEvent()], 1n);
      // The stream moved on since: the retry's "any" is sent at the new revision, and still finds the unit.
      const [again] = await store.appendUnits([unit]);
      expect(ok(again!)).toEqual(ok(first!));
      expect(await store.readStream(x)).toHaveLength(2);
    });

    it('sends "any" at the revision it read and again at the new one when another writer moves the stream', async () => {
      const [x, y] = [stream(), stream()];
      await store.append(x, [anEvent()], 'no_stream');
      const hold = client.holdNext('multiStreamAppend', x);
      const pending = store.appendUnits([[{ streamId: x, events: [anEvent()], expected: 'any' }, { streamId: y, events: [anEvent()], expected: 'no_stream' }]]);
      await hold.reached;
      await client.appendToStream(x, [jsonEvent({ type: 'ThingHappened', data: {} })], { streamState: 0n });
      hold.release();
      const [outcome] = await pending;
      expect(ok(outcome!).map((r) => r.streamVersion)).toEqual([3n, 1n]);
      const states = client.calls.filter((call) => call.method === 'multiStreamAppend').map((call) => (call.args[0] as AppendStreamRequest[])[0]!.expectedState);
      expect(states).toEqual([0n, 1n]);
    });

    it('refuses a unit whose event id another stream claimed, writing nothing of it', async () => {
      const [x, y, other] = [stream(), stream(), stream()];
      const taken = anEvent();
      await store.append(other, [taken], 'no_stream');
      const [outcome] = await store.appendUnits([[{ streamId: x, events: [anEvent()], expected: 'no_stream' }, { streamId: y, events: [{ ...taken }], expected: 'no_stream' }]]);
      expect(failed(outcome!)).toBeInstanceOf(IdempotencyConflictError);
      expect(failed(outcome!)).toMatchObject({ streamId: y });
      expect(await store.readStream(x)).toEqual([]);
      expect(await store.readStream(y)).toEqual([]);
    });

    it('refuses a unit of which only one stream was stored before, writing nothing of it', async () => {
      const [x, y] = [stream(), stream()];
      const before = [anEvent()];
      await store.append(x, before, 'no_stream');
      const [outcome] = await store.appendUnits([[{ streamId: x, events: before, expected: 'no_stream' }, { streamId: y, events: [anEvent()], expected: 'no_stream' }]]);
      expect(failed(outcome!)).toBeInstanceOf(IdempotencyConflictError);
      expect(failed(outcome!)).toMatchObject({ streamId: y });
      expect(await store.readStream(y)).toEqual([]);
    });

    it('makes no claim again that an append to the same stream made before it failed', async () => {
      const [x, y] = [stream(), stream()];
      const event = anEvent();
      await expect(store.append(x, [event], 1n)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      const [outcome] = await store.appendUnits([[{ streamId: x, events: [event], expected: 'no_stream' }, { streamId: y, events: [anEvent()], expected: 'no_stream' }]]);
      expect(ok(outcome!).map((r) => r.streamVersion)).toEqual([1n, 1n]);
      expect(client.log.filter((e) => e.streamId === `_event_id-${event.eventId}`)).toHaveLength(1);
    });

    it('refuses a unit that appends to one stream twice or repeats an event id, writing nothing', async () => {
      const [x, y] = [stream(), stream()];
      const event = anEvent();
      const outcomes = await store.appendUnits([
        [{ streamId: x, events: [anEvent()], expected: 'no_stream' }, { streamId: x, events: [anEvent()], expected: 1n }],
        [{ streamId: x, events: [event], expected: 'no_stream' }, { streamId: y, events: [{ ...event }], expected: 'no_stream' }],
      ]);
      expect(failed(outcomes[0]!)).toBeInstanceOf(InvalidAppendError);
      expect(failed(outcomes[1]!)).toBeInstanceOf(IdempotencyConflictError);
      expect(client.count('multiStreamAppend')).toBe(0);
    });

    it('reports an unreachable server for a unit as the port error, writing nothing', async () => {
      const [x, y] = [stream(), stream()];
      client.failNext('multiStreamAppend', clientErrors.unavailable());
      const [outcome] = await store.appendUnits([[{ streamId: x, events: [anEvent()], expected: 'no_stream' }, { streamId: y, events: [anEvent()], expected: 'no_stream' }]]);
      expect(failed(outcome!)).toBeInstanceOf(EventStoreUnavailableError);
      expect(await store.readStream(x)).toEqual([]);
    });
  });

  describe('expected versions', () => {
    it('sends version 0 and "no stream" as no stream, and version n as revision n-1', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 0n);
      await store.append(s, [anEvent()], 1n);
      const t = stream();
      await store.append(t, [anEvent()], 'no_stream');
      expect(statesSentTo(s)).toEqual([NO_STREAM, 0n]);
      expect(statesSentTo(t)).toEqual([NO_STREAM]);
    });

    it('sends "any" and "stream exists" as the exact revision it read, never as ANY or STREAM_EXISTS', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'any');
      await store.append(s, [anEvent()], 'any');
      await store.append(s, [anEvent(), anEvent()], 'stream_exists');
      await expect(store.append(s, [anEvent()], 'stream_exists')).resolves.toMatchObject({ streamVersion: 5n });
      expect(statesSentTo(s)).toEqual([NO_STREAM, 0n, 1n, 3n]);
      const sent = client.calls.filter((c) => c.method === 'appendToStream').map((c) => (c.args[2] as { streamState: unknown }).streamState);
      expect(sent).not.toContain(ANY);
      expect(sent).not.toContain(STREAM_EXISTS);
    });

    it('refuses "stream exists" for a missing stream with actual version 0, writing nothing', async () => {
      const s = stream();
      const error = await store.append(s, [anEvent()], 'stream_exists').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: s, expected: 'stream_exists', actual: 0n });
      expect(statesSentTo(s)).toEqual([]);
    });

    it.each([
      ['a revision', 6n, 7n],
      ['no stream', NO_STREAM, 0n],
    ] as const)('translates the server refusing the version into the port error, with the actual version for %s', async (_what, current, actual) => {
      const s = stream();
      client.failNext('appendToStream', new ClientWrongVersion(undefined, { streamName: s, expected: 2n, current }), 1, s);
      const error = await store.append(s, [anEvent()], 3n).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: s, expected: 3n, actual });
    });

    it('appends "any" at the new revision when another writer moves the stream between its read and its append', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'any');
      const held = client.holdNext('appendToStream', s);
      const mine = store.append(s, [anEvent()], 'any');
      await held.reached;
      await new KurrentDbEventStore(client).append(s, [anEvent()], 'any');
      held.release();
      await expect(mine).resolves.toMatchObject({ streamVersion: 3n });
      expect(statesSentTo(s)).toEqual([NO_STREAM, 0n, 0n, 1n]);
    });

    it('gives up on "any" with a wrong expected version when the stream keeps moving', async () => {
      const s = stream();
      const conflict = new ClientWrongVersion(undefined, { streamName: s, expected: 0n, current: 7n });
      client.failNext('appendToStream', conflict, 20, s);
      await expect(store.append(s, [anEvent()], 'any')).rejects.toMatchObject({ constructor: WrongExpectedVersionError, expected: 'any', actual: 8n });
      expect(statesSentTo(s)).toHaveLength(20);
    });

    it('refuses a negative expected version before calling the server', async () => {
      await expect(store.append(stream(), [anEvent()], -1n)).rejects.toBeInstanceOf(RangeError);
      expect(client.calls).toEqual([]);
    });
  });

  describe('append results', () => {
    it('returns the version, the global position of each event and the log position of the last', async () => {
      const s = stream();
      const result = await store.append(s, [anEvent(), anEvent()], 'no_stream');
      const [a, b] = client.log.filter((e) => e.streamId === s);
      expect(result).toEqual({
        streamVersion: 2n,
        globalPositions: [a!.position.prepare, b!.position.prepare],
        logPosition: fromKurrentPosition(b!.position),
      });
    });

    it('makes every read that decides an append on the leader', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'any');
      await store.append(s, [anEvent()], 'any');
      const reads = client.calls.filter((c) => c.method === 'readStream');
      expect(reads.length).toBeGreaterThan(0);
      reads.forEach((c) => expect(c.args[1]).toMatchObject({ requiresLeader: true }));
    });

    it('fails when the server reports success but the events are not at the revision it names', async () => {
      const s = stream();
      await store.append(s, [anEvent()], 'no_stream');
      const append = client.appendToStream.bind(client);
      client.appendToStream = async (name, events, options) => ({ ...(await append(name, events, options)), nextExpectedRevision: 0n });
      await expect(store.append(s, [anEvent()], 1n)).rejects.toThrow(`append to ${s} succeeded but its events are not at revision 0`);
    });

    it('signals listeners after a successful append only', async () => {
      const listener = jest.fn();
      const unsubscribe = store.onAppended(listener);
      await Promise.resolve();
      listener.mockClear();
      const s = stream();
      await store.append(s, [anEvent()], 'no_stream');
      const afterAppend = listener.mock.calls.length;
      expect(afterAppend).toBeGreaterThan(0);
      await expect(store.append(s, [anEvent()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(listener).toHaveBeenCalledTimes(afterAppend);
      unsubscribe();
      await store.append(s, [anEvent()], 'any');
      expect(listener).toHaveBeenCalledTimes(afterAppend);
    });
  });

  describe('input it cannot store', () => {
    const cases: [string, string, EventToAppend[], string][] = [
      ['U+0000 in a value', stream(), [anEvent({ data: { text: 'a\u0000b' } })], 'events/0/data/text'],
      ['U+0000 in a key', stream(), [anEvent({ data: { nested: { 'a\u0000': 1 } } })], 'events/0/data/nested'],
      ['a lone high surrogate', stream(), [anEvent({ data: { text: 'x\uD800y' } })], 'events/0/data/text'],
      ['a lone low surrogate in a list', stream(), [anEvent(), anEvent({ data: { list: ['ok', '\uDC00'] } })], 'events/1/data/list/1'],
      ['a lone surrogate in the metadata', stream(), [anEvent({ metadata: { actor: 'a\uD83D', correlationId: 'c', tenant: 't' } })], 'events/0/metadata/actor'],
      ['a non-finite number', stream(), [anEvent({ data: { amount: Number.POSITIVE_INFINITY } })], 'events/0/data/amount'],
      ['a key with / and ~', stream(), [anEvent({ data: { 'a/b~c': Number.NaN } as JsonObject })], 'events/0/data/a~1b~0c'],
      ['a malformed stream id', 'no category', [anEvent()], 'streamId'],
      ['an empty append', stream(), [], 'events'],
      ['an event id that is not a UUID', stream(), [anEvent({ eventId: 'nope' })], 'events/0/eventId'],
      ['an event id twice', stream(), ((e) => [e, { ...e }])(anEvent()), 'events/1/eventId'],
      ['a bad event type', stream(), [anEvent({ type: 'has space' })], 'events/0/type'],
      ['schema version 0', stream(), [anEvent({ schemaVersion: 0 })], 'events/0/schemaVersion'],
      ['metadata without a tenant', stream(), [anEvent({ metadata: { actor: 'a', correlationId: 'c', tenant: '' } })], 'events/0/metadata'],
    ];

    it.each(cases)('refuses %s as the PostgreSQL adapter does (validateAppend), before calling the server', async (_what, s, events, path) => {
      const expected = (() => {
        try {
          validateAppend(s, events);
        } catch (error) {
          return error;
        }
        throw new Error('validateAppend accepted the input');
      })();
      const error = await store.append(s, events, 'any').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidAppendError);
      expect(error).toEqual(expected);
      expect(error).toMatchObject({ path, message: (expected as Error).message });
      expect(client.calls).toEqual([]);
    });
  });

  describe('envelopes', () => {
    it('stores schemaVersion in the metadata, and reads it back out of it with the server time as recordedAt', async () => {
      const s = stream('plan');
      const e = anEvent({ schemaVersion: 3, metadata: { actor: 'a', onBehalfOf: 'b', correlationId: 'c', causationId: 'd', tenant: 't' } });
      await store.append(s, [e], 'no_stream');
      const written = client.log.find((r) => r.streamId === s)!;
      expect(written.metadata).toEqual({ ...e.metadata, schemaVersion: 3 });
      const [recorded] = await store.readStream(s);
      expect(recorded).toMatchObject({ schemaVersion: 3, category: 'plan', recordedAt: written.created });
      expect(recorded!.metadata).toEqual(e.metadata);
    });

    it('reads schemaVersion 1 when the metadata has none', async () => {
      const s = stream();
      await store.append(s, [anEvent({ schemaVersion: 4 })], 'any');
      delete (client.log.find((r) => r.streamId === s)!.metadata as Record<string, unknown>).schemaVersion;
      expect((await store.readStream(s))[0]!.schemaVersion).toBe(1);
    });
  });

  describe('reading a stream', () => {
    it('reads forwards, backwards, from a version, with a limit', async () => {
      const s = stream();
      await store.append(s, [anEvent(), anEvent(), anEvent(), anEvent(), anEvent()], 'no_stream');
      const versions = async (o: Parameters<KurrentDbEventStore['readStream']>[1]) => (await store.readStream(s, o)).map((e) => e.streamVersion);
      expect(await versions({})).toEqual([1n, 2n, 3n, 4n, 5n]);
      expect(await versions({ fromVersion: 3n, limit: 2 })).toEqual([3n, 4n]);
      expect(await versions({ direction: 'backwards', limit: 2 })).toEqual([5n, 4n]);
      expect(await versions({ direction: 'backwards', fromVersion: 2n })).toEqual([2n, 1n]);
      expect(await versions({ direction: 'backwards', fromVersion: 0n })).toEqual([]);
      expect(await versions({ limit: 0 })).toEqual([]);
      const last = client.calls[client.calls.length - 1]!.args[1];
      expect(last).toMatchObject({ direction: 'backwards', fromRevision: 1n });
    });

    it('reads a missing stream, or one the server reports not found (soft-deleted), as empty', async () => {
      await expect(store.readStream(stream())).resolves.toEqual([]);
      const s = stream();
      await store.append(s, [anEvent()], 'any');
      client.failNext('readStream', clientErrors.streamNotFound(s), 1, s);
      await expect(store.readStream(s)).resolves.toEqual([]);
    });

    it.each([
      ['a deleted stream', (s: string) => clientErrors.streamDeleted(s), StreamDeletedError],
      ['access denied', () => clientErrors.accessDenied(), EventStoreAccessDeniedError],
      ['not leader', () => clientErrors.notLeader(), EventStoreUnavailableError],
      ['an unavailable node', () => clientErrors.unavailable(), EventStoreUnavailableError],
      ['a deadline', () => clientErrors.deadlineExceeded(), EventStoreUnavailableError],
    ])('maps %s to the port error', async (_what, error, portError) => {
      const s = stream();
      client.failNext('readStream', error(s), 1, s);
      const thrown = await store.readStream(s).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(portError);
    });

    it('names the stream without the store prefix in StreamDeletedError', async () => {
      const prefixed = new KurrentDbEventStore(client, { categoryPrefix: 'ta_' });
      const s = stream();
      client.failNext('readStream', clientErrors.streamDeleted(`ta_${s}`), 1, `ta_${s}`);
      await expect(prefixed.readStream(s)).rejects.toMatchObject({ constructor: StreamDeletedError, streamId: s });
    });

    it('rethrows errors the port has no name for', async () => {
      const s = stream();
      const odd = new Error('odd');
      client.failNext('readStream', odd, 1, s);
      await expect(store.readStream(s)).rejects.toBe(odd);
    });

    it('refuses events that come without a log position (explicit transactions)', async () => {
      const t = client.beginTransaction('thing-legacy');
      t.write('Legacy');
      t.commit();
      await expect(store.readStream('thing-legacy')).rejects.toThrow(/came without a log position/);
    });
  });

  describe('append errors', () => {
    it('maps a deleted stream to StreamDeletedError', async () => {
      const s = stream();
      client.failNext('appendToStream', clientErrors.streamDeleted(s), 1, s);
      await expect(store.append(s, [anEvent()], 'no_stream')).rejects.toMatchObject({ constructor: StreamDeletedError, streamId: s });
    });

    it('maps access denied to EventStoreAccessDeniedError', async () => {
      client.failNext('appendToStream', clientErrors.accessDenied());
      await expect(store.append(stream(), [anEvent()], 'no_stream')).rejects.toBeInstanceOf(EventStoreAccessDeniedError);
    });

    it.each([
      ['not leader', clientErrors.notLeader],
      ['unavailable', clientErrors.unavailable],
      ['a deadline', clientErrors.deadlineExceeded],
    ])('maps %s to EventStoreUnavailableError; a retry with the same ids then stores the events once', async (_what, error) => {
      const s = stream();
      const events = [anEvent(), anEvent()];
      client.failNext('appendToStream', error(), 1, s);
      await expect(store.append(s, events, 'no_stream')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      const result = await store.append(s, events, 'no_stream');
      expect(result.streamVersion).toBe(2n);
      expect(ids(await store.readStream(s))).toEqual(ids(events));
    });

    it('maps an unavailable node while claiming ids; the retry finds its own claims', async () => {
      const s = stream();
      const events = [anEvent(), anEvent()];
      client.failNext('appendToStream', clientErrors.unavailable(), 1, `_event_id-${events[1]!.eventId}`);
      await expect(store.append(s, events, 'no_stream')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.append(s, events, 'no_stream')).resolves.toMatchObject({ streamVersion: 2n });
    });
  });

  describe('the global log', () => {
    it('reports an empty log (even with system events) as the start', async () => {
      client.system('$stats-127.0.0.1:2113', '$statsCollected');
      expect(await store.head()).toBe(START);
      expect(await store.readAll({ after: START, limit: 10 })).toEqual({ events: [], scannedTo: START });
    });

    it('reads after a position exclusively, page by page, leaving out system events', async () => {
      const appended: string[] = [];
      for (let i = 0; i < 4; i++) {
        const events = [anEvent(), anEvent()];
        await store.append(stream(i % 2 ? 'plan' : 'budget'), events, 'any');
        appended.push(...ids(events));
        client.system('$$plan-x', '$metadata');
      }
      const seen: string[] = [];
      let after = START;
      for (;;) {
        const page = await store.readAll({ after, limit: 3 });
        if (page.scannedTo === after) break;
        seen.push(...ids(page.events));
        after = page.scannedTo;
      }
      expect(seen).toEqual(appended);
      expect(after).toBe(await store.head());
    });

    it('asks the server for ledger streams only when nothing narrower is asked', async () => {
      await store.readAll({ after: START, limit: 10 });
      const filters = client.calls.filter((c) => c.method === 'readAll').map((c) => (c.args[0] as { filter: unknown }).filter);
      expect(filters).toContainEqual(expect.objectContaining({ filterOn: 'streamName', regex: '^[a-z]' }));
    });

    it('ends a full page at its last event and a short page at the head', async () => {
      const a = await store.append(stream(), [anEvent(), anEvent()], 'any');
      const full = await store.readAll({ after: START, limit: 2 });
      expect(full.scannedTo).toBe(a.logPosition);
      const b = await store.append(stream(), [anEvent()], 'any');
      client.system('$stats-x', '$statsCollected');
      const short = await store.readAll({ after: a.logPosition, limit: 5 });
      expect(short.events).toHaveLength(1);
      expect(short.scannedTo).toBe(b.logPosition);
      expect(await store.readAll({ after: b.logPosition, limit: 5 })).toEqual({ events: [], scannedTo: b.logPosition });
    });

    it('filters by category (stream-name prefix on the server) and exact type, moving past what it filtered', async () => {
      const plan = anEvent({ type: 'PlanDrafted' });
      await store.append(stream('plan'), [plan], 'any');
      await store.append(stream('plan'), [anEvent({ type: 'PlanDraftedLater' })], 'any');
      await store.append(stream('planning'), [anEvent({ type: 'PlanDrafted' })], 'any');
      const last = await store.append(stream('budget'), [anEvent({ type: 'PlanDrafted' })], 'any');
      const page = await store.readAll({ after: START, limit: 10, categories: ['plan'], types: ['PlanDrafted'] });
      expect(ids(page.events)).toEqual([plan.eventId]);
      expect(page.scannedTo).toBe(last.logPosition);
      const filters = client.calls.filter((c) => c.method === 'readAll').map((c) => (c.args[0] as { filter: unknown }).filter);
      expect(filters).toContainEqual(expect.objectContaining({ filterOn: 'streamName', prefixes: ['plan-'] }));
      const types = await store.readAll({ after: START, limit: 10, types: ['PlanDrafted'] });
      expect(types.events).toHaveLength(3);
      expect(client.calls.at(-1)!.args[0]).toMatchObject({ filter: { filterOn: 'eventType', prefixes: ['PlanDrafted'] } });
      expect(await store.countAfter(START, { categories: ['plan'] })).toBe(2);
      expect(await store.countAfter(START, { types: ['PlanDrafted'] })).toBe(3);
      expect(await store.countAfter(START)).toBe(4);
      expect(await store.countAfter(START, {}, 3)).toBe(3);
      expect(await store.countAfter(START, { types: [] })).toBe(0);
      expect(await store.readAll({ after: START, limit: 10, categories: [] })).toEqual({ events: [], scannedTo: last.logPosition });
    });

    it('gives a short page with scannedTo at the last event looked at when the filter discards a lot', async () => {
      for (let i = 0; i < 70; i++) await store.append(stream('plan'), [anEvent({ type: 'Other' })], 'any');
      const wanted = anEvent({ type: 'Wanted' });
      await store.append(stream('plan'), [wanted], 'any');
      const page = await store.readAll({ after: START, limit: 2, categories: ['plan'], types: ['Wanted'] });
      expect(page.events).toEqual([]);
      expect(page.scannedTo > START).toBe(true);
      const next = await store.readAll({ after: page.scannedTo, limit: 2, categories: ['plan'], types: ['Wanted'] });
      expect(ids(next.events)).toEqual([wanted.eventId]);
    });

    it('finds the head behind trailing system events', async () => {
      const { logPosition: last } = await store.append(stream(), [anEvent()], 'any');
      for (let i = 0; i < 7; i++) client.system('$stats-x', '$statsCollected');
      expect(await store.head()).toBe(last);
    });

    it('orders an explicit transaction by its commit, after an event appended while it was open, with unique global positions', async () => {
      const t = client.beginTransaction('thing-legacy');
      t.write('LegacyFirst');
      const during = await store.append(stream(), [anEvent({ type: 'During' })], 'any');
      t.write('LegacySecond');
      t.commit();
      const page = await store.readAll({ after: START, limit: 10 });
      expect(page.events.map((e) => e.type)).toEqual(['During', 'LegacyFirst', 'LegacySecond']);
      const positions = page.events.map((e) => e.logPosition);
      expect([...positions].sort()).toEqual(positions);
      const [first, second] = page.events.slice(1);
      expect(splitLogPosition(first!.logPosition).major).toBe(splitLogPosition(second!.logPosition).major);
      expect(page.events[0]!.globalPosition).toBe(during.globalPositions[0]);
      expect(new Set(page.events.map((e) => e.globalPosition)).size).toBe(3);
      expect(first!.globalPosition < during.globalPositions[0]!).toBe(true);
      const afterFirst = await store.readAll({ after: first!.logPosition, limit: 10 });
      expect(afterFirst.events.map((e) => e.type)).toEqual(['LegacySecond']);
    });

    it.each([
      ['not leader', clientErrors.notLeader, EventStoreUnavailableError],
      ['unavailable', clientErrors.unavailable, EventStoreUnavailableError],
      ['access denied', clientErrors.accessDenied, EventStoreAccessDeniedError],
    ])('maps %s on $all to the port error', async (_what, error, portError) => {
      client.failNext('readAll', error(), 3);
      await expect(store.readAll({ after: START, limit: 1 })).rejects.toBeInstanceOf(portError);
      await expect(store.head()).rejects.toBeInstanceOf(portError);
      await expect(store.countAfter(START)).rejects.toBeInstanceOf(portError);
    });
  });

  describe('category prefix', () => {
    it('writes <prefix><category>-<id>, strips it on read and sees only its own streams', async () => {
      const other = new KurrentDbEventStore(client, { categoryPrefix: 'tb_' });
      const mine = new KurrentDbEventStore(client, { categoryPrefix: 'ta_' });
      await other.append(stream('plan'), [anEvent()], 'any');
      const s = stream('plan');
      const { logPosition: last } = await mine.append(s, [anEvent()], 'any');
      await other.append(stream('plan'), [anEvent()], 'any');
      expect(client.log.filter((e) => e.streamId.startsWith('ta_')).map((e) => e.streamId)).toEqual([`ta_${s}`]);
      const page = await mine.readAll({ after: START, limit: 10 });
      expect(page.events.map((e) => [e.streamId, e.category])).toEqual([[s, 'plan']]);
      expect(page.scannedTo).toBe(last);
      expect(await mine.head()).toBe(last);
      expect(await mine.countAfter(START, { categories: ['plan'] })).toBe(1);
      expect(await mine.readStream(s)).toHaveLength(1);
    });

    it('refuses a prefix that could clash with stream names', () => {
      expect(() => new KurrentDbEventStore(client, { categoryPrefix: '$x' })).toThrow(RangeError);
      expect(() => new KurrentDbEventStore(client, { categoryPrefix: 'Ab' })).toThrow(RangeError);
    });
  });

  it('disposes the client on close', async () => {
    await store.close();
    expect(client.disposed).toBe(true);
  });
});
