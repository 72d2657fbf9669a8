import { randomUUID } from 'node:crypto';
import { type CatchUpOptions, type LogPosition, type RecordedEvent, EventStoreUnavailableError, START, catchUp } from '@doorbraak/event-store';
import { anEvent } from '@doorbraak/event-store-contract';
import { FakeKurrentClient, clientErrors } from './fake-kurrent-client.fixtures';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const stream = () => `thing-${randomUUID()}`;
const types = (events: readonly RecordedEvent[]) => events.map((e) => e.type);

/** A catch-up consumer whose every report (page, caught up, error) can be awaited. */
function startConsumer(store: KurrentDbEventStore, from: LogPosition, overrides: Partial<CatchUpOptions> = {}) {
  const delivered: RecordedEvent[] = [];
  const failures: { at: number; error: unknown }[] = [];
  let caughtUp = 0;
  let waiting: (() => void)[] = [];
  const report = () => {
    const pending = waiting;
    waiting = [];
    pending.forEach((check) => check());
  };
  const controller = new AbortController();
  const done = catchUp({
    store,
    from,
    signal: controller.signal,
    idleMs: 3_600_000,
    retryMs: 100,
    maxRetryMs: 800,
    handle: async (page) => {
      delivered.push(...page.events);
      report();
    },
    onCaughtUp: async () => {
      caughtUp += 1;
      report();
    },
    onError: (error) => {
      failures.push({ at: Date.now(), error });
      report();
    },
    ...overrides,
  });
  return {
    delivered,
    failures,
    caughtUp: () => caughtUp,
    /** Checks that nothing is delivered for `ms` and that `expected` is delivered right after. */
    async deliversAfter(ms: number, expected: string[]): Promise<void> {
      await jest.advanceTimersByTimeAsync(ms - 1);
      expect(delivered).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      await this.until(() => delivered.length === expected.length);
      expect(types(delivered)).toEqual(expected);
    },
    /** Resolves once `condition` holds, checked after each report. */
    until(condition: () => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => (condition() ? resolve() : waiting.push(check));
        check();
      });
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

describe('Catch-up consumers on KurrentDB', () => {
  let client: FakeKurrentClient;
  let store: KurrentDbEventStore;
  let writer: KurrentDbEventStore;
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
    client = new FakeKurrentClient();
    store = new KurrentDbEventStore(client, { retryMs: 100, maxRetryMs: 800 });
    // Another process appending to the same cluster: its appends signal nothing in this store directly.
    writer = new KurrentDbEventStore(client);
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const append = async (type: string) => (await writer.append(stream(), [anEvent({ type })], 'no_stream')).logPosition;

  describe('given a stored checkpoint and a leader change', () => {
    it('retries after not-leader errors, waiting twice as long each time, and delivers each event after the checkpoint once', async () => {
      await append('E1');
      const checkpoint = await append('E2');
      await append('E3');
      await append('E4');
      client.failNext('readAll', clientErrors.notLeader(), 3);
      const consumer = startConsumer(store, checkpoint);
      await consumer.until(() => consumer.failures.length === 1);
      const started = consumer.failures[0]!.at;
      await jest.advanceTimersByTimeAsync(99);
      expect(consumer.failures).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      await consumer.until(() => consumer.failures.length === 2);
      await jest.advanceTimersByTimeAsync(200);
      await consumer.until(() => consumer.failures.length === 3);
      await jest.advanceTimersByTimeAsync(400);
      await consumer.until(() => consumer.caughtUp() === 1);
      expect(consumer.failures.map((f) => f.at - started)).toEqual([0, 100, 300]);
      consumer.failures.forEach((f) => expect(f.error).toBeInstanceOf(EventStoreUnavailableError));
      expect(types(consumer.delivered)).toEqual(['E3', 'E4']);
      await consumer.stop();
    });

    it('starts again from the shortest wait once a read succeeds', async () => {
      client.failNext('readAll', clientErrors.unavailable(), 2);
      const consumer = startConsumer(store, START);
      await consumer.until(() => consumer.failures.length === 1);
      await jest.advanceTimersByTimeAsync(100);
      await consumer.until(() => consumer.failures.length === 2);
      await jest.advanceTimersByTimeAsync(200);
      await consumer.until(() => consumer.caughtUp() === 1);
      client.failNext('readAll', clientErrors.unavailable());
      await append('E1');
      await consumer.until(() => consumer.failures.length === 3);
      await consumer.deliversAfter(100, ['E1']);
      await consumer.stop();
    });

    it('does not cut a wait short because something was appended', async () => {
      client.failNext('readAll', clientErrors.notLeader());
      const consumer = startConsumer(store, START);
      await consumer.until(() => consumer.failures.length === 1);
      await append('E1');
      await consumer.deliversAfter(100, ['E1']);
      await consumer.stop();
    });

    it('stops at once when aborted during a wait', async () => {
      client.failNext('readAll', clientErrors.unavailable(), 10);
      const consumer = startConsumer(store, START);
      await consumer.until(() => consumer.failures.length === 1);
      await consumer.stop();
      expect(consumer.failures).toHaveLength(1);
    });
  });

  describe('given a handler that fails', () => {
    it('delivers the same page again from the same position, then goes on: at least once, nothing skipped', async () => {
      await append('E1');
      await append('E2');
      let failed = false;
      const seen: string[] = [];
      const consumer = startConsumer(store, START, {
        batchSize: 1,
        handle: async (page) => {
          seen.push(...types(page.events));
          if (!failed && page.events[0]?.type === 'E2') {
            failed = true;
            throw new Error('read model down');
          }
          consumer.delivered.push(...page.events);
        },
      });
      await consumer.until(() => consumer.failures.length === 1);
      await jest.advanceTimersByTimeAsync(100);
      await consumer.until(() => consumer.caughtUp() === 1);
      expect(seen).toEqual(['E1', 'E2', 'E2']);
      expect(types(consumer.delivered)).toEqual(['E1', 'E2']);
      await consumer.stop();
    });
  });

  describe('given the live $all subscription', () => {
    it('wakes the consumer when another process appends, without waiting for a poll', async () => {
      const consumer = startConsumer(store, START);
      await consumer.until(() => consumer.caughtUp() >= 1);
      await append('E1');
      await consumer.until(() => consumer.delivered.length === 1);
      expect(types(consumer.delivered)).toEqual(['E1']);
      expect(client.live()).toHaveLength(1);
      await consumer.stop();
    });

    it('reopens a dropped subscription after a wait, then reads what was appended while it was down', async () => {
      const consumer = startConsumer(store, START);
      await consumer.until(() => consumer.caughtUp() >= 1);
      client.dropSubscriptions(clientErrors.unavailable());
      expect(client.live()).toHaveLength(0);
      await append('E1');
      await jest.advanceTimersByTimeAsync(99);
      expect(client.count('subscribeToAll')).toBe(1);
      expect(consumer.delivered).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(client.count('subscribeToAll')).toBe(2);
      await consumer.until(() => consumer.delivered.length === 1);
      expect(types(consumer.delivered)).toEqual(['E1']);
      await append('E2');
      await consumer.until(() => consumer.delivered.length === 2);
      expect(types(consumer.delivered)).toEqual(['E1', 'E2']);
      await consumer.stop();
    });

    it('waits longer after each failed subscription (not leader), and starts over once one is confirmed', async () => {
      client.failNext('subscribeToAll', clientErrors.notLeader(), 2);
      const signals = jest.fn();
      store.onAppended(signals);
      const subscribedAt: number[] = [];
      const subscribe = client.subscribeToAll.bind(client);
      client.subscribeToAll = (options) => {
        subscribedAt.push(Date.now());
        return subscribe(options);
      };
      const started = Date.now();
      await jest.advanceTimersByTimeAsync(100);
      await jest.advanceTimersByTimeAsync(200);
      expect(subscribedAt.map((t) => t - started)).toEqual([100, 300]);
      expect(client.live()).toHaveLength(1);
      expect(signals).toHaveBeenCalledTimes(1);
      // The server ends the subscription without an error (a node shutting down).
      client.dropSubscriptions();
      await jest.advanceTimersByTimeAsync(100);
      expect(subscribedAt.map((t) => t - started)).toEqual([100, 300, 400]);
      expect(signals).toHaveBeenCalledTimes(2);
      await store.close();
    });

    it('never waits longer than the longest wait', async () => {
      client.failNext('subscribeToAll', clientErrors.unavailable(), 6);
      store.onAppended(() => undefined);
      for (const wait of [100, 200, 400, 800, 800, 800]) {
        const before = client.count('subscribeToAll');
        await jest.advanceTimersByTimeAsync(wait - 1);
        expect(client.count('subscribeToAll')).toBe(before);
        await jest.advanceTimersByTimeAsync(1);
        expect(client.count('subscribeToAll')).toBe(before + 1);
      }
      await store.close();
    });

    it('subscribes once while anyone listens, and stops when the last listener leaves or the store closes', async () => {
      expect(client.count('subscribeToAll')).toBe(0);
      const first = store.onAppended(() => undefined);
      const second = store.onAppended(() => undefined);
      expect(client.count('subscribeToAll')).toBe(1);
      first();
      expect(client.live()).toHaveLength(1);
      second();
      expect(client.live()).toHaveLength(0);
      store.onAppended(() => undefined);
      await Promise.resolve();
      client.dropSubscriptions(clientErrors.unavailable());
      await store.close();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(client.count('subscribeToAll')).toBe(2);
      expect(client.live()).toHaveLength(0);
    });
  });
});
