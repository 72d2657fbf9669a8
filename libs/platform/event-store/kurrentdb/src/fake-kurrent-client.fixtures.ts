import { EventEmitter } from 'node:events';
import {
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type AppendStreamState,
  type Direction,
  type EventData,
  type Filter,
  type MultiAppendResult,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
  AccessDeniedError,
  DeadlineExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { LiveSubscription } from './append-watch';
import type { KurrentClientLike } from './kurrentdb-event-store';

type Stored = NonNullable<AllStreamResolvedEvent['event']>;
type Method = 'appendToStream' | 'multiStreamAppend' | 'readStream' | 'readAll' | 'subscribeToAll';

/** The client's errors as it raises them for what the server or the network reports. */
export const clientErrors = {
  notLeader: () =>
    new NotLeaderError({ message: 'not leader', metadata: { 'leader-endpoint-host': 'node-2', 'leader-endpoint-port': '2113' } } as unknown as ConstructorParameters<typeof NotLeaderError>[0]),
  unavailable: () => new UnavailableError(undefined, 'no connection to the cluster'),
  deadlineExceeded: () => new DeadlineExceededError(undefined, 'deadline exceeded'),
  accessDenied: () => new AccessDeniedError(undefined, 'access denied'),
  streamDeleted: (streamName: string) => StreamDeletedError.fromStreamName(streamName),
  streamNotFound: (streamName: string) => new StreamNotFoundError(undefined, streamName),
};

/** A subscription as the client hands it out: events as `data`, `confirmation` once the server accepts it. */
export class FakeSubscription extends EventEmitter implements LiveSubscription {
  unsubscribed = false;

  constructor(readonly filter: Filter | undefined) {
    super();
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
}

/**
 * An in-memory stand-in for the subset of KurrentDB the adapter uses, for unit tests on machines without a
 * server. It mimics the documented behaviour: revisions from 0; (commit, prepare) positions with commit = prepare
 * for ordinary appends and a shared commit position for the events of a legacy explicit transaction; $all in
 * (commit, prepare) order with inclusive starts; one filter per $all read; idempotent retries recognised only at
 * an exact expected revision (the server's guarantee); multi-stream appends that check every expected state before
 * writing anything; and the client's error classes. Tests can make the next
 * calls of a method fail, hold a call until released, and drop live subscriptions.
 */
export class FakeKurrentClient implements KurrentClientLike {
  readonly log: Stored[] = [];
  readonly calls: { method: Method; args: unknown[] }[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  disposed = false;
  private next = 100n;
  private readonly failures: { method: Method; error: Error; stream: string | undefined }[] = [];
  private readonly transactional = new Set<Stored>();
  private readonly holds: { method: Method; stream: string; reached: () => void; released: Promise<void> }[] = [];

  /**
   * The next `times` calls of `method` (on `stream`, when given) fail with `error`; a failing subscription reports
   * it instead of its confirmation.
   */
  failNext(method: Method, error: Error, times = 1, stream?: string): void {
    for (let i = 0; i < times; i++) this.failures.push({ method, error, stream });
  }

  /** The next call of `method` on `stream` waits, before it does anything, until `release` is called. */
  holdNext(method: Method, stream: string): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ method, stream, reached, released });
    return { reached: arrived, release };
  }

  /** Ends every live subscription as the server or the network would: with an error, or (no error) a clean end. */
  dropSubscriptions(error?: Error): void {
    for (const subscription of this.live()) {
      if (error) subscription.emit('error', error);
      else subscription.emit('close');
    }
  }

  live(): FakeSubscription[] {
    return this.subscriptions.filter((s) => !s.unsubscribed);
  }

  async appendToStream(streamName: string, events: EventData[], options: { streamState: AppendStreamState }) {
    await this.enter('appendToStream', streamName, [streamName, events, options]);
    const stream = this.stream(streamName);
    const current = stream.length === 0 ? ('no_stream' as const) : BigInt(stream.length - 1);
    const replay = this.replayOf(stream, events, options.streamState);
    if (replay === 'conflict') throw this.wrongVersion(streamName, options.streamState, current);
    if (replay) return { nextExpectedRevision: replay.revision, position: replay.position };
    const state = options.streamState;
    if (!meets(state, current)) throw this.wrongVersion(streamName, state, current);
    for (const [i, e] of events.entries()) {
      const position = this.advance();
      this.store({ streamName, type: e.type, data: e.data, metadata: e.metadata, id: e.id, revision: BigInt(stream.length + i), position: { commit: position, prepare: position } });
    }
    const last = this.log[this.log.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /**
   * As the client and a 25.1 server: metadata of string values only (checked by the client before sending), every
   * request's expected state checked before anything is written, the first one that fails reported as the
   * client's WrongExpectedVersionError, and the last revision of each request answered. Calls are held and failed
   * by the first request's stream.
   */
  async multiStreamAppend(requests: AppendStreamRequest[]): Promise<MultiAppendResult> {
    for (const { events } of requests) {
      for (const { metadata } of events) {
        if (metadata == null) continue;
        if (metadata.constructor === Uint8Array || typeof metadata !== 'object' || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) {
          throw new Error('multiStreamAppend requires metadata to be a plain object with string keys and string values.');
        }
      }
    }
    await this.enter('multiStreamAppend', requests[0]?.streamName ?? '', [requests]);
    for (const { streamName, expectedState } of requests) {
      const stream = this.stream(streamName);
      const current = stream.length === 0 ? ('no_stream' as const) : BigInt(stream.length - 1);
      if (!meets(expectedState, current)) throw this.wrongVersion(streamName, expectedState, current);
    }
    const responses = requests.map(({ streamName, events }) => {
      for (const e of events) {
        const position = this.advance();
        this.store({ streamName, type: e.type, data: e.data, metadata: e.metadata, id: e.id, revision: BigInt(this.stream(streamName).length), position: { commit: position, prepare: position } });
      }
      return { streamName, revision: BigInt(this.stream(streamName).length - 1) };
    });
    return { position: this.log[this.log.length - 1]!.position.commit, responses };
  }

  /** Writes an event the way the server does for its own streams ($stats, $$metadata...). */
  system(streamName: string, type: string): void {
    const position = this.advance();
    const id = `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`;
    this.store({ streamName, type, data: {}, metadata: {}, id, revision: BigInt(this.stream(streamName).length), position: { commit: position, prepare: position } });
  }

  /**
   * A legacy explicit transaction (TCP clients before KurrentDB 24): each event's record takes a position when
   * written, and all of them become visible at commit with the commit record's position as their commit position.
   */
  beginTransaction(streamName: string): { write(type: string): void; commit(): void } {
    const prepared: { type: string; prepare: bigint; id: string }[] = [];
    return {
      write: (type) => {
        const prepare = this.advance();
        prepared.push({ type, prepare, id: `00000000-0000-4000-9000-${String(prepare).padStart(12, '0')}` });
      },
      commit: () => {
        const commit = this.advance();
        for (const p of prepared) {
          const revision = BigInt(this.stream(streamName).length);
          this.store({ streamName, type: p.type, data: { prepared: p.prepare.toString() }, metadata: {}, id: p.id, revision, position: { commit, prepare: p.prepare }, transaction: true });
        }
      },
    };
  }

  async *readStream(
    streamName: string,
    options: { direction: Direction; fromRevision: ReadRevision; maxCount: number; requiresLeader?: boolean },
  ): AsyncIterable<ResolvedEvent> {
    await this.enter('readStream', streamName, [streamName, options]);
    const stream = this.stream(streamName);
    if (stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
    const forwards = options.direction === 'forwards';
    const from = options.fromRevision === 'start' ? 0n : options.fromRevision === 'end' ? BigInt(stream.length) : options.fromRevision;
    const selected = (forwards ? stream : [...stream].reverse()).filter((e) => (forwards ? e.revision >= from : e.revision <= from));
    // Stream reads carry no $all position for events written in an explicit transaction.
    for (const event of selected.slice(0, options.maxCount)) yield { event: this.transactional.has(event) ? { ...event, position: undefined } : event };
  }

  async *readAll(options: { direction: Direction; fromPosition: ReadPosition; maxCount: number; filter?: Filter }): AsyncIterable<AllStreamResolvedEvent> {
    await this.enter('readAll', '$all', [options]);
    const forwards = options.direction === 'forwards';
    const from = options.fromPosition;
    const atOrAfter = (e: Stored) => {
      if (from === 'start') return forwards;
      if (from === 'end') return !forwards;
      const cmp = comparePositions(e.position, from);
      return forwards ? cmp >= 0 : cmp <= 0;
    };
    const ordered = [...this.log].sort((a, b) => comparePositions(a.position, b.position) * (forwards ? 1 : -1));
    const selected = ordered.filter((e) => atOrAfter(e) && passes(e, options.filter));
    for (const event of selected.slice(0, options.maxCount)) yield { event };
  }

  subscribeToAll(options: { fromPosition: ReadPosition; filter?: Filter }): FakeSubscription {
    this.calls.push({ method: 'subscribeToAll', args: [options] });
    const subscription = new FakeSubscription(options.filter);
    this.subscriptions.push(subscription);
    const failure = this.takeFailure('subscribeToAll', '$all');
    void Promise.resolve().then(() => subscription.emit(failure ? 'error' : 'confirmation', failure));
    return subscription;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  count(method: Method): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  private stream(streamName: string): Stored[] {
    return this.log.filter((e) => e.streamId === streamName);
  }

  private advance(): bigint {
    this.next += 100n;
    return this.next;
  }

  private async enter(method: Method, stream: string, args: unknown[]): Promise<void> {
    this.calls.push({ method, args });
    const index = this.holds.findIndex((h) => h.method === method && h.stream === stream);
    if (index !== -1) {
      const hold = this.holds.splice(index, 1)[0]!;
      hold.reached();
      await hold.released;
    }
    const failure = this.takeFailure(method, stream);
    if (failure) throw failure;
  }

  private takeFailure(method: Method, stream: string): Error | undefined {
    const index = this.failures.findIndex((f) => f.method === method && (f.stream === undefined || f.stream === stream));
    return index === -1 ? undefined : this.failures.splice(index, 1)[0]!.error;
  }

  private store(e: {
    streamName: string;
    type: string;
    data: unknown;
    metadata: unknown;
    id: string;
    revision: bigint;
    position: { commit: bigint; prepare: bigint };
    transaction?: boolean;
  }): void {
    const event = {
      streamId: e.streamName,
      id: e.id,
      isJson: true,
      revision: e.revision,
      type: e.type,
      created: new Date(),
      // Through JSON, as on the wire.
      data: viaJson(e.data),
      metadata: viaJson(e.metadata),
      position: e.position,
    } as Stored;
    this.log.push(event);
    if (e.transaction) this.transactional.add(event);
    for (const subscription of this.live()) if (passes(event, subscription.filter)) subscription.emit('data', { event });
  }

  /** The server's idempotency check at an exact expected revision: the same ids right after it are a retry. */
  private replayOf(stream: Stored[], events: EventData[], state: AppendStreamState): Stored | 'conflict' | undefined {
    if (state === 'any' || state === 'stream_exists') return undefined;
    const start = state === 'no_stream' ? 0 : Number(state) + 1;
    if (stream[start]?.id !== events[0]!.id) return undefined;
    const run = stream.slice(start, start + events.length);
    return run.length === events.length && run.every((e, i) => e.id === events[i]!.id) ? run[run.length - 1] : 'conflict';
  }

  private wrongVersion(streamName: string, expected: AppendStreamState, current: bigint | 'no_stream') {
    return new WrongExpectedVersionError(undefined, { streamName, expected, current });
  }
}

/** $all order: commit position, then prepare position. */
export function comparePositions(a: { commit: bigint; prepare: bigint }, b: { commit: bigint; prepare: bigint }): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}

function meets(state: AppendStreamState, current: bigint | 'no_stream'): boolean {
  return state === 'any' || (state === 'no_stream' ? current === 'no_stream' : state === 'stream_exists' ? current !== 'no_stream' : state === current);
}

function viaJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function passes(event: Stored, filter: Filter | undefined): boolean {
  if (!filter) return true;
  const value = filter.filterOn === 'streamName' ? event.streamId : event.type;
  return 'prefixes' in filter ? filter.prefixes.some((p) => value.startsWith(p)) : new RegExp(filter.regex).test(value);
}
