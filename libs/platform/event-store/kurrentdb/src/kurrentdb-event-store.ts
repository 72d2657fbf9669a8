import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type LogPosition,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  IdempotencyConflictError,
  START,
  WrongExpectedVersionError,
  categoryOf,
  logPosition,
  maxLogPosition,
  splitLogPosition,
  validateAppend,
} from '@doorbraak/event-store';
import {
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type CurrentStreamState,
  type Direction,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START as KURRENT_START,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';

/** A recorded event as the client returns it from a stream or from `$all`. */
type KurrentRecordedEvent = NonNullable<ResolvedEvent['event']>;

/**
 * The part of `KurrentDBClient` this adapter uses. The real client satisfies it; the unit tests pass an in-memory
 * fake, because no KurrentDB server can run where those tests run.
 */
export interface KurrentClientLike {
  appendToStream(
    streamName: string,
    events: EventData[],
    options: { streamState: AppendStreamState },
  ): Promise<{ nextExpectedRevision: bigint; position?: Position }>;
  readStream(streamName: string, options: { direction: Direction; fromRevision: ReadRevision; maxCount: number }): AsyncIterable<ResolvedEvent>;
  readAll(options: { direction: Direction; fromPosition: ReadPosition; maxCount: number; filter?: Filter }): AsyncIterable<AllStreamResolvedEvent>;
  dispose(): Promise<void>;
}

export interface KurrentDbEventStoreOptions {
  /**
   * Prepended to every stream name on the server (`<prefix><category>-<id>`) and stripped when reading; global
   * reads only see streams with the prefix. Several stores can then share one server: each contract-test run
   * gets an empty log of its own, and a multi-tenant deployment can keep one logical ledger per prefix.
   */
  readonly categoryPrefix?: string;
  /** Events per request when the adapter scans a stream or `$all`. */
  readonly pageSize?: number;
}

type Filters = Pick<ReadAllOptions, 'categories' | 'types'>;

const PREFIX = /^[a-z][a-z0-9_]*$/;
// Bounds one readAll call when client-side filtering discards most of what the server sends; the caller simply
// gets a shorter page with scannedTo at the last event looked at.
const MAX_PAGES_PER_READ = 20;

/** KurrentDB's (commit, prepare) pair as the port's LogPosition, and back. */
export function fromKurrentPosition(position: Position): LogPosition {
  return logPosition(position.commit, position.prepare);
}

export function toKurrentPosition(position: LogPosition): ReadPosition {
  if (position === START) return KURRENT_START;
  const { major, minor } = splitLogPosition(position);
  return { commit: major, prepare: minor };
}

/** Port versions count events (0n = none); KurrentDB revisions number them from 0. */
export function toStreamState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === 0n) return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected - 1n;
}

export function toVersion(state: CurrentStreamState): bigint {
  return state === NO_STREAM ? 0n : state + 1n;
}

/**
 * The event store on KurrentDB (`@kurrent/kurrentdb-client` 1.x). It implements `EventStore` only: consumer
 * checkpoints stay in PostgreSQL next to the read models they describe, so a projection commits its rows and its
 * checkpoint in one transaction whichever store holds the log.
 *
 * KurrentDB writes the log in commit order, so unlike PostgreSQL (ADR 0003) a global reader cannot see a later
 * event before an earlier one commits; its (commit, prepare) pair is used as the LogPosition directly.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly listeners = new Set<() => void>();
  private readonly prefix: string;
  private readonly pageSize: number;

  constructor(
    private readonly client: KurrentClientLike,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.prefix = options.categoryPrefix ?? '';
    if (this.prefix !== '' && !PREFIX.test(this.prefix)) throw new RangeError(`category prefix ${JSON.stringify(this.prefix)} must match ${PREFIX}`);
    this.pageSize = options.pageSize ?? 500;
  }

  /** Connects with a connection string such as `kurrentdb://host:2113?tls=false`. */
  static connect(connectionString: string, options: KurrentDbEventStoreOptions = {}): KurrentDbEventStore {
    const client: KurrentClientLike = KurrentDBClient.connectionString(connectionString);
    return new KurrentDbEventStore(client, options);
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult> {
    validateAppend(streamId, events);
    if (typeof expected === 'bigint' && expected < 0n) throw new RangeError('expected version cannot be negative');
    const name = this.prefix + streamId;
    let nextExpectedRevision: bigint;
    try {
      ({ nextExpectedRevision } = await this.client.appendToStream(name, events.map(toEventData), { streamState: toStreamState(expected) }));
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
      // The server refuses a retry whose expected version is stale, or one that matches only part of an append.
      const original = await this.findOriginal(streamId, events);
      if (original) return original;
      throw new WrongExpectedVersionError(streamId, expected, toVersion(error.actualState));
    }
    // The append answer carries one position; the port wants one per event, so read the events back.
    const written = await this.readRaw(name, FORWARDS, nextExpectedRevision - BigInt(events.length) + 1n, events.length);
    if (!sameAppend(written, events)) {
      // The server recognised a retry and answered with a revision that is not the original's.
      const original = await this.findOriginal(streamId, events);
      if (original) return original;
      throw new Error(`append to ${streamId} succeeded but its events were not found at revision ${nextExpectedRevision}`);
    }
    this.listeners.forEach((notify) => notify());
    return toAppendResult(written);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromVersion;
    if (limit <= 0 || (from !== undefined && from < 1n && direction === BACKWARDS)) return [];
    const revision: ReadRevision = from === undefined ? (direction === BACKWARDS ? END : KURRENT_START) : from < 1n ? KURRENT_START : from - 1n;
    const raw = await this.readRaw(this.prefix + streamId, direction, revision, limit);
    return raw.map((event) => this.toRecordedEvent(event));
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    // Read the head first: whatever is appended after it lies after the page too, so a short page may move
    // scannedTo up to it without skipping anything.
    const head = await this.head();
    const events: RecordedEvent[] = [];
    if (options.limit <= 0 || options.categories?.length === 0 || options.types?.length === 0) {
      return { events, scannedTo: maxLogPosition(options.after, head) };
    }
    const requested = options.limit + 1;
    let seen = options.after;
    for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
      const raw = await this.readAllRaw(toKurrentPosition(seen), FORWARDS, requested, this.serverFilter(options));
      // Reads of $all include the event at the start position; the port's `after` is exclusive.
      for (const event of raw) {
        const position = positionOf(event);
        if (position <= seen) continue;
        seen = position;
        if (!this.matches(event, options)) continue;
        events.push(this.toRecordedEvent(event));
        if (events.length === options.limit) return { events, scannedTo: seen };
      }
      if (raw.length < requested) return { events, scannedTo: maxLogPosition(maxLogPosition(options.after, seen), head) };
    }
    return { events, scannedTo: seen };
  }

  async head(): Promise<LogPosition> {
    let from: ReadPosition = END;
    let seen: LogPosition | undefined;
    for (;;) {
      const raw = await this.readAllRaw(from, BACKWARDS, this.pageSize, this.serverFilter({}));
      for (const event of raw) {
        const position = positionOf(event);
        if (seen !== undefined && position >= seen) continue;
        if (this.matches(event, {})) return position;
        seen = position;
      }
      if (raw.length < this.pageSize || seen === undefined) return START;
      from = toKurrentPosition(seen);
    }
  }

  async countAfter(after: LogPosition, filter: Filters = {}, limit = 10_000_000): Promise<number> {
    if (filter.categories?.length === 0 || filter.types?.length === 0) return 0;
    let count = 0;
    let seen = after;
    for (;;) {
      const raw = await this.readAllRaw(toKurrentPosition(seen), FORWARDS, this.pageSize, this.serverFilter(filter));
      for (const event of raw) {
        const position = positionOf(event);
        if (position <= seen) continue;
        seen = position;
        if (this.matches(event, filter) && ++count >= limit) return count;
      }
      if (raw.length < this.pageSize) return count;
    }
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return this.client.dispose();
  }

  /** Every event of the stream with one of the ids; the original result when they are exactly that append. */
  private async findOriginal(streamId: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    const wanted = new Set(events.map((e) => e.eventId.toLowerCase()));
    const found: KurrentRecordedEvent[] = [];
    let from: ReadRevision = KURRENT_START;
    for (;;) {
      const raw = await this.readRaw(this.prefix + streamId, FORWARDS, from, this.pageSize);
      found.push(...raw.filter((e) => wanted.has(e.id.toLowerCase())));
      const last = raw[raw.length - 1];
      if (!last || raw.length < this.pageSize) break;
      from = last.revision + 1n;
    }
    if (found.length === 0) return undefined;
    if (!sameAppend(found, events)) throw new IdempotencyConflictError(streamId, events.map((e) => e.eventId));
    return toAppendResult(found);
  }

  private async readRaw(name: string, direction: Direction, fromRevision: ReadRevision, maxCount: number): Promise<KurrentRecordedEvent[]> {
    const out: KurrentRecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(name, { direction, fromRevision, maxCount })) {
        if (resolved.event) out.push(resolved.event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return out;
  }

  private async readAllRaw(fromPosition: ReadPosition, direction: Direction, maxCount: number, filter: Filter): Promise<KurrentRecordedEvent[]> {
    const out: KurrentRecordedEvent[] = [];
    for await (const resolved of this.client.readAll({ direction, fromPosition, maxCount, filter })) {
      if (resolved.event) out.push(resolved.event);
    }
    return out;
  }

  /**
   * The server takes one filter per read. The stream-name prefix is the selective one (categories, or this
   * store's prefix); `matches` then applies every rule exactly, since prefixes over-match event types.
   */
  private serverFilter(filter: Filters): Filter {
    if (filter.categories) return streamNameFilter({ prefixes: filter.categories.map((c) => `${this.prefix}${c}-`) });
    if (this.prefix) return streamNameFilter({ prefixes: [this.prefix] });
    if (filter.types) return eventTypeFilter({ prefixes: [...filter.types] });
    return excludeSystemEvents();
  }

  private matches(event: KurrentRecordedEvent, filter: Filters): boolean {
    if (event.type.startsWith('$') || event.streamId.startsWith('$') || !event.streamId.startsWith(this.prefix)) return false;
    const streamId = event.streamId.slice(this.prefix.length);
    if (filter.categories && !filter.categories.includes(categoryOf(streamId))) return false;
    return !filter.types || filter.types.includes(event.type);
  }

  private toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent {
    const streamId = event.streamId.slice(this.prefix.length);
    const { schemaVersion, ...metadata } = (event.metadata ?? {}) as Record<string, unknown>;
    const position = positionOf(event);
    return {
      eventId: event.id,
      type: event.type,
      schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
      streamId,
      category: categoryOf(streamId),
      streamVersion: event.revision + 1n,
      globalPosition: splitLogPosition(position).major,
      logPosition: position,
      recordedAt: event.created,
      data: event.data as RecordedEvent['data'],
      metadata: metadata as unknown as RecordedEvent['metadata'],
    };
  }
}

/** schemaVersion rides in the metadata because KurrentDB events have no field for it. */
export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: { ...event.metadata, schemaVersion: event.schemaVersion } });
}

function positionOf(event: KurrentRecordedEvent): LogPosition {
  // Servers before 22.6 send no position on stream reads; the adapter cannot work without it.
  if (!event.position) throw new Error(`event ${event.id} came without a log position (KurrentDB 22.6 or later is required)`);
  return fromKurrentPosition(event.position);
}

/** The events are the append's ids, in its order, at consecutive revisions of one stream. */
function sameAppend(found: readonly KurrentRecordedEvent[], events: readonly EventToAppend[]): boolean {
  return (
    found.length === events.length &&
    found.every(
      (e, i) => e.id.toLowerCase() === events[i]!.eventId.toLowerCase() && (i === 0 || e.revision === found[i - 1]!.revision + 1n),
    )
  );
}

function toAppendResult(written: readonly KurrentRecordedEvent[]): AppendResult {
  const positions = written.map(positionOf);
  return {
    streamVersion: written[written.length - 1]!.revision + 1n,
    globalPositions: positions.map((p) => splitLogPosition(p).major),
    logPosition: positions[positions.length - 1]!,
  };
}

// Matched on the client's `type` tag rather than by class, so a second copy of the client package still matches.
function isWrongExpectedVersion(error: unknown): error is Error & { actualState: CurrentStreamState } {
  return error instanceof Error && (error as { type?: unknown }).type === ErrorType.WRONG_EXPECTED_VERSION;
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && (error as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND;
}
