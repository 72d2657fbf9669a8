import { IdempotencyConflictError, WrongExpectedVersionError, splitLogPosition } from '@doorbraak/event-store';
import { anEvent } from '@doorbraak/event-store-contract';
import { randomUUID } from 'node:crypto';
import type { PostgresEventStore } from './postgres-event-store';

const stream = () => `thing-${randomUUID()}`;
const txOf = (result: PromiseSettledResult<{ logPosition: string }>) => (result.status === 'fulfilled' ? splitLogPosition(result.value.logPosition as never).major : undefined);

/** Appends that arrive while others are being committed go to the database together; each keeps its own outcome. */
export function describeGroupCommit(open: () => Promise<PostgresEventStore>): void {
  let store: PostgresEventStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  it('commits appends that arrive together in one transaction, and a conflict among them fails only its own append', async () => {
    const stale = stream();
    await store.append(stale, [anEvent(), anEvent()], 'no_stream');
    const taken = anEvent();
    await store.append(stream(), [taken], 'no_stream');
    // The first append runs alone; the ones after it wait and are committed as one group.
    const fillers = Array.from({ length: 8 }, () => store.append(stream(), [anEvent()], 'no_stream'));
    const group = await Promise.allSettled([
      store.append(stream(), [anEvent(), anEvent()], 'no_stream'),
      store.append(stale, [anEvent()], 1n),
      store.append(stream(), [anEvent()], 'any'),
      store.append(stream(), [taken], 'any'),
      store.append(stale, [anEvent()], 2n),
    ]);
    await Promise.all(fillers);
    expect(group.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((group[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect((group[1] as PromiseRejectedResult).reason).toMatchObject({ expected: 1n, actual: 2n });
    expect((group[3] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    expect(new Set([txOf(group[0]!), txOf(group[2]!), txOf(group[4]!)]).size).toBe(1);
    expect((await store.readStream(stale)).map((e) => e.streamVersion)).toEqual([1n, 2n, 3n]);
  });

  it('recognises a retry inside a group as a retry', async () => {
    const s = stream();
    const events = [anEvent(), anEvent()];
    const fillers = Array.from({ length: 8 }, () => store.append(stream(), [anEvent()], 'no_stream'));
    const [first, retry] = await Promise.all([store.append(s, events, 'no_stream'), store.append(s, events, 'no_stream')]);
    await Promise.all(fillers);
    expect(retry).toEqual(first);
    expect(await store.readStream(s)).toHaveLength(2);
  });

  it('keeps the appends of each stream in the order they came while groups run side by side', async () => {
    const s = stream();
    // Submitted at once, each expecting what the one before leaves: none may overtake another in a group of its own.
    const appends = await Promise.allSettled([
      store.append(s, [anEvent()], 'no_stream'),
      store.append(stream(), [anEvent()], 'no_stream'),
      store.append(s, [anEvent()], 1n),
      store.append(s, [anEvent(), anEvent()], 2n),
      store.append(stream(), [anEvent()], 'no_stream'),
      store.append(s, [anEvent()], 4n),
    ]);
    expect(appends.map((o) => o.status)).toEqual(Array(6).fill('fulfilled'));
    expect((await store.readStream(s)).map((e) => e.streamVersion)).toEqual([1n, 2n, 3n, 4n, 5n]);
  });
}
