import { type EventStore, type UnitOutcome, WrongExpectedVersionError, splitLogPosition } from '@doorbraak/event-store';
import { randomUUID } from 'node:crypto';
import { anEvent } from './event-store.contract';

const stream = () => `thing-${randomUUID()}`;
const ok = (outcome: UnitOutcome) => {
  if ('error' in outcome) throw outcome.error;
  return outcome.ok;
};

/**
 * Units of several streams: each stored whole or not at all, each with its own outcome. `oneCommitPerUnit`: the
 * store commits each unit as one transaction, so its events share the major part of their log positions.
 */
export function describeAppendUnits(open: () => Promise<EventStore>, options: { oneCommitPerUnit?: boolean } = {}): void {
  let store: EventStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  it('stores a unit in all its streams or in none, and a refused unit fails alone', async () => {
    const shared = stream();
    await store.append(shared, [anEvent()], 'no_stream');
    const [a, b, c] = [stream(), stream(), stream()];
    const outcomes = await store.appendUnits([
      [{ streamId: shared, events: [anEvent()], expected: 1n }, { streamId: a, events: [anEvent(), anEvent()], expected: 'no_stream' }],
      // Expects what the unit before it leaves in the shared stream.
      [{ streamId: shared, events: [anEvent()], expected: 2n }, { streamId: b, events: [anEvent()], expected: 'no_stream' }],
      // Its second stream is stale: nothing of it is written, not even to its first.
      [{ streamId: c, events: [anEvent()], expected: 'no_stream' }, { streamId: shared, events: [anEvent()], expected: 1n }],
    ]);
    expect(ok(outcomes[0]!).map((r) => r.streamVersion)).toEqual([2n, 2n]);
    expect(ok(outcomes[1]!).map((r) => r.streamVersion)).toEqual([3n, 1n]);
    const refused = (outcomes[2] as { error: unknown }).error;
    expect(refused).toBeInstanceOf(WrongExpectedVersionError);
    expect(refused).toMatchObject({ streamId: shared, expected: 1n, actual: 3n });
    expect(await store.readStream(c)).toEqual([]);
    expect((await store.readStream(shared)).map((e) => e.streamVersion)).toEqual([1n, 2n, 3n]);
    // Each stored unit is one transaction: readers see all of its streams together.
    if (options.oneCommitPerUnit) outcomes.slice(0, 2).forEach((outcome) => expect(new Set(ok(outcome).map((r) => splitLogPosition(r.logPosition).major)).size).toBe(1));
  });

  it('stores units of one stream and of several in the order given, each expecting what the one before left', async () => {
    const shared = stream();
    await store.append(shared, [anEvent()], 'no_stream');
    const outcomes = await store.appendUnits([
      [{ streamId: shared, events: [anEvent()], expected: 1n }, { streamId: stream(), events: [anEvent()], expected: 'no_stream' }],
      [{ streamId: shared, events: [anEvent()], expected: 2n }],
      [{ streamId: stream(), events: [anEvent()], expected: 'no_stream' }],
      [{ streamId: stream(), events: [anEvent()], expected: 'no_stream' }, { streamId: shared, events: [anEvent(), anEvent()], expected: 3n }],
      [{ streamId: shared, events: [anEvent()], expected: 5n }],
    ]);
    outcomes.forEach(ok);
    expect((await store.readStream(shared)).map((e) => e.streamVersion)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
  });

  it('answers a unit retried with the same event ids with its original results, and writes nothing again', async () => {
    const [x, y] = [stream(), stream()];
    const unit = [
      { streamId: x, events: [anEvent(), anEvent()], expected: 'no_stream' as const },
      { streamId: y, events: [anEvent()], expected: 'no_stream' as const },
    ];
    const [first] = await store.appendUnits([unit]);
    const [again] = await store.appendUnits([unit]);
    expect(ok(again!)).toEqual(ok(first!));
    expect(await store.readStream(x)).toHaveLength(2);
    expect(await store.readStream(y)).toHaveLength(1);
  });
}
