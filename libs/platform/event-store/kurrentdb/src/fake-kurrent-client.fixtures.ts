import {
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type Direction,
  type EventData,
  type Filter,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { KurrentClientLike } from './kurrentdb-event-store';

type Stored = NonNullable<AllStreamResolvedEvent['event']>;

/**
 * An in-memory stand-in for the subset of KurrentDB the adapter uses, for unit tests on machines without a
 * server. It mimics the documented behaviour: revisions from 0, (commit, prepare) positions, inclusive read
 * starts, one filter per $all read, idempotent retries by event id, and the client's error classes.
 */
export class FakeKurrentClient implements KurrentClientLike {
  readonly log: Stored[] = [];
  readonly calls: { method: string; args: unknown[] }[] = [];
  disposed = false;
  private next = 100n;

  async appendToStream(streamName: string, events: EventData[], options: { streamState: AppendStreamState }) {
    this.calls.push({ method: 'appendToStream', args: [streamName, events, options] });
    const stream = this.log.filter((e) => e.streamId === streamName);
    const current = stream.length === 0 ? ('no_stream' as const) : BigInt(stream.length - 1);
    const replay = this.replayOf(stream, events, options.streamState);
    if (replay === 'conflict') throw this.wrongVersion(streamName, options.streamState, current);
    if (replay) return { nextExpectedRevision: replay.revision, position: replay.position };
    const state = options.streamState;
    const ok = state === 'any' || (state === 'no_stream' ? current === 'no_stream' : state === 'stream_exists' ? current !== 'no_stream' : state === current);
    if (!ok) throw this.wrongVersion(streamName, state, current);
    for (const [i, e] of events.entries()) this.record(streamName, e.type, e.data, e.metadata, e.id, BigInt(stream.length + i));
    const last = this.log[this.log.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /** Writes an event the way the server does for its own streams ($stats, $$metadata...). */
  system(streamName: string, type: string): void {
    const count = this.log.filter((e) => e.streamId === streamName).length;
    this.record(streamName, type, {}, {}, `00000000-0000-4000-8000-${String(this.next).padStart(12, '0')}`, BigInt(count));
  }

  async *readStream(streamName: string, options: { direction: Direction; fromRevision: ReadRevision; maxCount: number }): AsyncIterable<ResolvedEvent> {
    this.calls.push({ method: 'readStream', args: [streamName, options] });
    const stream = this.log.filter((e) => e.streamId === streamName);
    if (stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
    const forwards = options.direction === 'forwards';
    const from = options.fromRevision;
    const selected = (forwards ? stream : [...stream].reverse()).filter((e) =>
      from === 'start' ? true : from === 'end' ? !forwards || false : forwards ? e.revision >= from : e.revision <= from,
    );
    for (const event of selected.slice(0, options.maxCount)) yield { event };
  }

  async *readAll(options: { direction: Direction; fromPosition: ReadPosition; maxCount: number; filter?: Filter }): AsyncIterable<AllStreamResolvedEvent> {
    this.calls.push({ method: 'readAll', args: [options] });
    const forwards = options.direction === 'forwards';
    const from = options.fromPosition;
    const key = (e: Stored) => [e.position.commit, e.position.prepare] as const;
    const atOrAfter = (e: Stored) => {
      if (from === 'start') return forwards;
      if (from === 'end') return !forwards;
      const [c, p] = key(e);
      const cmp = c === from.commit ? (p === from.prepare ? 0 : p > from.prepare ? 1 : -1) : c > from.commit ? 1 : -1;
      return forwards ? cmp >= 0 : cmp <= 0;
    };
    const ordered = forwards ? this.log : [...this.log].reverse();
    const selected = ordered.filter((e) => atOrAfter(e) && passes(e, options.filter));
    for (const event of selected.slice(0, options.maxCount)) yield { event };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  private record(streamId: string, type: string, data: unknown, metadata: unknown, id: string, revision: bigint): void {
    this.next += 100n;
    this.log.push({
      streamId,
      id,
      isJson: true,
      revision,
      type,
      created: new Date(),
      data: structuredClone(data) as Stored['data'],
      metadata: structuredClone(metadata) as Stored['metadata'],
      position: { commit: this.next, prepare: this.next },
    } as Stored);
  }

  /** The server's idempotency check: the first id decides whether this is a retry; a partial match is refused. */
  private replayOf(stream: Stored[], events: EventData[], state: AppendStreamState): Stored | 'conflict' | undefined {
    const start = stream.findIndex((e) => e.id === events[0]!.id);
    if (start === -1) return undefined;
    if (typeof state === 'bigint' && BigInt(start) !== state + 1n) return undefined;
    const run = stream.slice(start, start + events.length);
    return run.length === events.length && run.every((e, i) => e.id === events[i]!.id) ? run[run.length - 1] : 'conflict';
  }

  private wrongVersion(streamName: string, expected: AppendStreamState, current: bigint | 'no_stream') {
    return new WrongExpectedVersionError(undefined, { streamName, expected, current });
  }
}

function passes(event: Stored, filter: Filter | undefined): boolean {
  if (!filter) return true;
  const value = filter.filterOn === 'streamName' ? event.streamId : event.type;
  return 'prefixes' in filter ? filter.prefixes.some((p) => value.startsWith(p)) : new RegExp(filter.regex).test(value);
}
