import { randomUUID } from 'node:crypto';
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
  type StreamAppend,
  type UnitOutcome,
  IdempotencyConflictError,
  InvalidAppendError,
  START,
  WrongExpectedVersionError,
  categoryOf,
  maxLogPosition,
  validateAppend,
} from '@doorbraak/event-store';
import {
  type AllStreamResolvedEvent,
  type AppendStreamRequest,
  type AppendStreamState,
  type CurrentStreamState,
  type Direction,
  type EventData,
  type Filter,
  type MultiAppendResult,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START as KURRENT_START,
  eventTypeFilter,
  jsonEvent,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import { AppendWatch, type LiveSubscription } from './append-watch';
import { clientErrorType, fromKurrentPosition, toEventData, toGlobalPosition, toKurrentPosition, toPortError, toStreamState, toUnitEventData, toVersion } from './kurrentdb-mapping';

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
  /** Atomic append to several streams (KurrentDB 25.1 or later): every request's expected state holds, or nothing is written. */
  multiStreamAppend(requests: AppendStreamRequest[]): Promise<MultiAppendResult>;
  readStream(
    streamName: string,
    options: { direction: Direction; fromRevision: ReadRevision; maxCount: number; requiresLeader?: boolean },
  ): AsyncIterable<ResolvedEvent>;
  readAll(options: { direction: Direction; fromPosition: ReadPosition; maxCount: number; filter?: Filter }): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options: { fromPosition: ReadPosition; filter?: Filter }): LiveSubscription;
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
  /** First wait before reopening a dropped `$all` subscription (default 500 ms); doubles up to `maxRetryMs` (30 s). */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

type Filters = Pick<ReadAllOptions, 'categories' | 'types'>;

const PREFIX = /^[a-z][a-z0-9_]*$/;
// Ledger streams start with a lower-case letter after the prefix; claim streams and system streams never do.
const LEDGER_STREAM = /^[a-z]/;
const CLAIM_TYPE = 'EventIdClaimed';
// Bounds one readAll call when client-side filtering discards most of what the server sends; the caller simply
// gets a shorter page with scannedTo at the last event looked at.
const MAX_PAGES_PER_READ = 20;
// An `any` or `stream_exists` append retries at the new revision when other writers move the stream meanwhile.
const MAX_APPEND_ATTEMPTS = 20;

/**
 * The event store on KurrentDB (`@kurrent/kurrentdb-client` 1.x). It implements `EventStore` only: consumer
 * checkpoints stay in PostgreSQL next to the read models they describe, so a projection commits its rows and its
 * checkpoint in one transaction whichever store holds the log.
 *
 * KurrentDB writes the log in commit order, so unlike PostgreSQL (ADR 0003) a global reader cannot see a later
 * event before an earlier one commits; its (commit, prepare) pair is used as the LogPosition directly. Event ids
 * are unique across streams through a claim stream per id (ADR 0010).
 */
export class KurrentDbEventStore implements EventStore {
  private readonly listeners = new Set<() => void>();
  private readonly prefix: string;
  private readonly pageSize: number;
  private readonly watch: AppendWatch;

  constructor(
    private readonly client: KurrentClientLike,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.prefix = options.categoryPrefix ?? '';
    if (this.prefix !== '' && !PREFIX.test(this.prefix)) throw new RangeError(`category prefix ${JSON.stringify(this.prefix)} must match ${PREFIX}`);
    this.pageSize = options.pageSize ?? 500;
    this.watch = new AppendWatch({
      subscribe: () => this.client.subscribeToAll({ fromPosition: END, filter: this.serverFilter({}) }),
      notify: () => this.listeners.forEach((notify) => notify()),
      retryMs: options.retryMs ?? 500,
      maxRetryMs: options.maxRetryMs ?? 30_000,
    });
  }

  /** Connects with a connection string such as `kurrentdb://host:2113?tls=false`. */
  static connect(connectionString: string, options: KurrentDbEventStoreOptions = {}): KurrentDbEventStore {
    const client: KurrentClientLike = KurrentDBClient.connectionString(connectionString);
    return new KurrentDbEventStore(client, options);
  }

  /**
   * Claims every event id for the stream, then appends at an exact revision. Every other append of these ids
   * either finds the claims taken by another stream, or reads the stream after this one's revision was chosen
   * and so cannot land unnoticed: a copy that lands first moves the stream and makes this append fail, after
   * which it finds the copy and answers with it.
   */
  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult> {
    validateAppend(streamId, events);
    if (typeof expected === 'bigint' && expected < 0n) throw new RangeError('expected version cannot be negative');
    const name = this.prefix + streamId;
    const chosen = expected === 'any' || expected === 'stream_exists';
    // Read before claiming: another append of these ids claims after this one and lands after this read.
    let current = chosen ? await this.revisionOf(streamId) : undefined;
    if (!(await this.claim(streamId, events))) {
      // Claimed before, by this stream: a retry, or an append that failed. Look for the events first.
      const found = await this.lookUp(streamId, events);
      if (found.original) return found.original;
      current = found.revision;
    }
    const data = events.map(toEventData);
    for (let attempt = 1; ; attempt++) {
      const state = toStreamState(expected, current);
      if (state === undefined) throw new WrongExpectedVersionError(streamId, expected, 0n);
      let nextExpectedRevision: bigint;
      try {
        ({ nextExpectedRevision } = await this.client.appendToStream(name, data, { streamState: state }));
      } catch (error) {
        if (clientErrorType(error) !== ErrorType.WRONG_EXPECTED_VERSION) throw toPortError(error, streamId);
        const found = await this.lookUp(streamId, events);
        if (found.original) return found.original;
        if (!chosen || attempt === MAX_APPEND_ATTEMPTS) {
          throw new WrongExpectedVersionError(streamId, expected, toVersion((error as { actualState: CurrentStreamState }).actualState));
        }
        current = found.revision;
        continue;
      }
      return this.appended(streamId, events, nextExpectedRevision);
    }
  }

  /**
   * A unit of one stream is an `append`. A unit of several is one atomic `multiStreamAppend` (KurrentDB 25.1 or
   * later) of its streams and the claims of its event ids, so claims and events are stored together or not at
   * all (ADR 0023). Units run as given, a unit after every earlier one that shares a stream with it.
   */
  async appendUnits(units: readonly (readonly StreamAppend[])[]): Promise<UnitOutcome[]> {
    const last = new Map<string, Promise<UnitOutcome>>();
    return Promise.all(
      units.map((unit) => {
        const before = unit.flatMap(({ streamId }) => last.get(streamId) ?? []);
        const outcome = Promise.all(before)
          .then(() => (unit.length === 1 ? this.append(unit[0]!.streamId, unit[0]!.events, unit[0]!.expected).then((r) => [r]) : this.appendUnit(unit)))
          .then(
            (ok): UnitOutcome => ({ ok }),
            (error: unknown): UnitOutcome => ({ error }),
          );
        unit.forEach(({ streamId }) => last.set(streamId, outcome));
        return outcome;
      }),
    );
  }

  /**
   * Claims and events of every stream in one request, each stream at an exact revision. When the request is
   * refused, the claims tell a retry (the unit is there, answered with its results) or a conflict from a stale
   * stream; `any` and `stream_exists` are sent again at the revision now read.
   */
  private async appendUnit(unit: readonly StreamAppend[]): Promise<AppendResult[]> {
    const seen = new Set<string>();
    for (const { streamId, events, expected } of unit) {
      validateAppend(streamId, events);
      if (typeof expected === 'bigint' && expected < 0n) throw new RangeError('expected version cannot be negative');
      if (seen.has(streamId)) throw new InvalidAppendError(`a unit appends to stream ${streamId} once`, 'units');
      seen.add(streamId);
    }
    const ids = new Set<string>();
    for (const { streamId, events } of unit) {
      const repeated = events.filter(({ eventId }) => ids.has(eventId.toLowerCase()));
      if (repeated.length > 0) throw new IdempotencyConflictError(streamId, repeated.map((e) => e.eventId));
      events.forEach(({ eventId }) => ids.add(eventId.toLowerCase()));
    }
    const current = new Map<string, CurrentStreamState>();
    for (const { streamId, expected } of unit) if (expected === 'any' || expected === 'stream_exists') current.set(streamId, await this.revisionOf(streamId));
    // Claims made before by an append to the same stream that did not land (ADR 0010) are not made again.
    let made = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      const requests: AppendStreamRequest[] = [];
      for (const { streamId, events, expected } of unit) {
        const state = toStreamState(expected, current.get(streamId));
        if (state === undefined) throw new WrongExpectedVersionError(streamId, expected, 0n);
        requests.push({ streamName: this.prefix + streamId, events: events.map(toUnitEventData), expectedState: state });
      }
      for (const { streamId, events } of unit) {
        for (const { eventId } of events.filter((e) => !made.has(this.claimName(e.eventId)))) {
          requests.push({ streamName: this.claimName(eventId), events: [this.claimEvent(streamId)], expectedState: NO_STREAM });
        }
      }
      let written: MultiAppendResult;
      try {
        written = await this.client.multiStreamAppend(requests);
      } catch (error) {
        if (clientErrorType(error) !== ErrorType.WRONG_EXPECTED_VERSION) throw toPortError(error, unit[0]!.streamId);
        const found = await this.lookUpUnit(unit);
        if (found.originals) return found.originals;
        made = found.claimed;
        const refused = (error as { streamName: string }).streamName;
        const stale = unit.find(({ streamId }) => this.prefix + streamId === refused);
        const chosen = stale !== undefined && (stale.expected === 'any' || stale.expected === 'stream_exists');
        if ((stale && !chosen) || attempt === MAX_APPEND_ATTEMPTS) {
          const failed = stale ?? unit[0]!;
          throw new WrongExpectedVersionError(failed.streamId, failed.expected, toVersion(found.revisions.get(failed.streamId)!));
        }
        for (const { streamId } of unit) if (current.has(streamId)) current.set(streamId, found.revisions.get(streamId)!);
        continue;
      }
      const results = await Promise.all(
        unit.map(({ streamId, events }) => {
          const response = written.responses.find((r) => r.streamName === this.prefix + streamId);
          if (!response) throw new Error(`append of a unit succeeded but the server reported no revision for ${streamId}`);
          return this.readBack(streamId, events, response.revision);
        }),
      );
      this.listeners.forEach((notify) => notify());
      return results;
    }
  }

  /**
   * What a refused unit finds: its claims (another stream's throws), each stream's revision, and the original
   * results when the whole unit is there.
   * @throws IdempotencyConflictError when a claim is another stream's, or only part of the unit is there
   */
  private async lookUpUnit(unit: readonly StreamAppend[]): Promise<{ originals?: AppendResult[]; claimed: Set<string>; revisions: Map<string, CurrentStreamState> }> {
    const claimed = new Set<string>();
    for (const { streamId, events } of unit) {
      const owners = await Promise.all(events.map(({ eventId }) => this.claimant(this.claimName(eventId))));
      if (owners.some((owner) => owner !== undefined && owner !== streamId)) throw new IdempotencyConflictError(streamId, events.map((e) => e.eventId));
      events.forEach(({ eventId }, i) => owners[i] === streamId && claimed.add(this.claimName(eventId)));
    }
    const found = await Promise.all(unit.map(({ streamId, events }) => this.lookUp(streamId, events)));
    const revisions = new Map(unit.map(({ streamId }, i) => [streamId, found[i]!.revision]));
    const there = found.filter((f) => f.original);
    if (there.length === 0) return { claimed, revisions };
    if (there.length < unit.length) {
      const missing = unit[found.findIndex((f) => !f.original)]!;
      throw new IdempotencyConflictError(missing.streamId, missing.events.map((e) => e.eventId));
    }
    return { originals: there.map((f) => f.original!), claimed, revisions };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromVersion;
    if (limit <= 0 || (from !== undefined && from < 1n && direction === BACKWARDS)) return [];
    const revision: ReadRevision = from === undefined ? (direction === BACKWARDS ? END : KURRENT_START) : from < 1n ? KURRENT_START : from - 1n;
    const raw = await this.readRaw(streamId, { direction, fromRevision: revision, maxCount: limit });
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

  /** Signals appends by any process (through a live `$all` subscription while anyone listens), not only this one's. */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    this.watch.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.watch.stop();
    };
  }

  close(): Promise<void> {
    this.listeners.clear();
    this.watch.stop();
    return this.client.dispose();
  }

  /**
   * Appends a claim to `_event_id-<prefix><id>` for each id, expecting no stream. True when this call made every
   * claim; false when some were made before by an append to the same stream.
   * @throws IdempotencyConflictError when an id is claimed by another stream
   */
  private async claim(streamId: string, events: readonly EventToAppend[]): Promise<boolean> {
    const outcomes = await Promise.all(
      events.map(async ({ eventId }) => {
        const name = this.claimName(eventId);
        try {
          await this.client.appendToStream(name, [this.claimEvent(streamId)], { streamState: NO_STREAM });
          return 'made';
        } catch (error) {
          if (clientErrorType(error) !== ErrorType.WRONG_EXPECTED_VERSION) throw toPortError(error, name);
        }
        return (await this.claimant(name)) === streamId ? 'ours' : 'taken';
      }),
    );
    if (outcomes.includes('taken')) throw new IdempotencyConflictError(streamId, events.map((e) => e.eventId));
    return outcomes.every((outcome) => outcome === 'made');
  }

  private claimName(eventId: string): string {
    return `_event_id-${this.prefix}${eventId.toLowerCase()}`;
  }

  /** A fresh id for the claim itself: the server would take a second claim carrying the same id for a retry. */
  private claimEvent(streamId: string): EventData {
    return jsonEvent({ id: randomUUID(), type: CLAIM_TYPE, data: { streamId } });
  }

  /** The stream that claimed an id, if any. */
  private async claimant(name: string): Promise<string | undefined> {
    const [existing] = await this.readRaw(name, { direction: FORWARDS, fromRevision: KURRENT_START, maxCount: 1, requiresLeader: true }, name);
    if (!existing) return undefined;
    const { streamId } = existing.data as { streamId?: unknown };
    return String(streamId);
  }

  /**
   * Scans the stream for the append's events: the original result when they are there as that append, nothing
   * when none is, and the stream's revision as scanned.
   * @throws IdempotencyConflictError when only some are there, or not as one append
   */
  private async lookUp(streamId: string, events: readonly EventToAppend[]): Promise<{ original?: AppendResult; revision: CurrentStreamState }> {
    const wanted = new Set(events.map((e) => e.eventId.toLowerCase()));
    const found: KurrentRecordedEvent[] = [];
    let revision: CurrentStreamState = NO_STREAM;
    for (;;) {
      const from = revision === NO_STREAM ? KURRENT_START : revision + 1n;
      const raw = await this.readRaw(streamId, { direction: FORWARDS, fromRevision: from, maxCount: this.pageSize, requiresLeader: true });
      found.push(...raw.filter((e) => wanted.has(e.id.toLowerCase())));
      revision = raw[raw.length - 1]?.revision ?? revision;
      if (raw.length < this.pageSize) break;
    }
    if (found.length === 0) return { revision };
    if (!sameAppend(found, events)) throw new IdempotencyConflictError(streamId, events.map((e) => e.eventId));
    return { original: toAppendResult(found), revision };
  }

  private async appended(streamId: string, events: readonly EventToAppend[], lastRevision: bigint): Promise<AppendResult> {
    const result = await this.readBack(streamId, events, lastRevision);
    this.listeners.forEach((notify) => notify());
    return result;
  }

  /** The append answer carries one position; the port wants one per event, so the events are read back. */
  private async readBack(streamId: string, events: readonly EventToAppend[], lastRevision: bigint): Promise<AppendResult> {
    const fromRevision = lastRevision - BigInt(events.length) + 1n;
    const written = await this.readRaw(streamId, { direction: FORWARDS, fromRevision, maxCount: events.length, requiresLeader: true });
    if (!sameAppend(written, events)) throw new Error(`append to ${streamId} succeeded but its events are not at revision ${fromRevision}`);
    return toAppendResult(written);
  }

  private async revisionOf(streamId: string): Promise<CurrentStreamState> {
    const [last] = await this.readRaw(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1, requiresLeader: true });
    return last ? last.revision : NO_STREAM;
  }

  /** Reads a stream, by default the ledger stream `streamId`; a missing stream reads as empty. */
  private async readRaw(
    streamId: string,
    options: { direction: Direction; fromRevision: ReadRevision; maxCount: number; requiresLeader?: boolean },
    name = this.prefix + streamId,
  ): Promise<KurrentRecordedEvent[]> {
    const out: KurrentRecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(name, options)) {
        if (resolved.event) out.push(resolved.event);
      }
    } catch (error) {
      if (clientErrorType(error) === ErrorType.STREAM_NOT_FOUND) return [];
      throw toPortError(error, streamId);
    }
    return out;
  }

  private async readAllRaw(fromPosition: ReadPosition, direction: Direction, maxCount: number, filter: Filter): Promise<KurrentRecordedEvent[]> {
    const out: KurrentRecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({ direction, fromPosition, maxCount, filter })) {
        if (resolved.event) out.push(resolved.event);
      }
    } catch (error) {
      throw toPortError(error, '$all');
    }
    return out;
  }

  /**
   * The server takes one filter per read. The stream-name prefix is the selective one (categories, or this
   * store's prefix); otherwise event types, otherwise ledger stream names. `matches` then applies every rule
   * exactly, since prefixes over-match.
   */
  private serverFilter(filter: Filters): Filter {
    if (filter.categories) return streamNameFilter({ prefixes: filter.categories.map((c) => `${this.prefix}${c}-`) });
    if (this.prefix) return streamNameFilter({ prefixes: [this.prefix] });
    if (filter.types) return eventTypeFilter({ prefixes: [...filter.types] });
    return streamNameFilter({ regex: LEDGER_STREAM.source });
  }

  private matches(event: KurrentRecordedEvent, filter: Filters): boolean {
    if (event.type.startsWith('$') || !event.streamId.startsWith(this.prefix)) return false;
    const streamId = event.streamId.slice(this.prefix.length);
    if (!LEDGER_STREAM.test(streamId)) return false;
    if (filter.categories && !filter.categories.includes(categoryOf(streamId))) return false;
    return !filter.types || filter.types.includes(event.type);
  }

  private toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent {
    const streamId = event.streamId.slice(this.prefix.length);
    const { schemaVersion, ...metadata } = (event.metadata ?? {}) as Record<string, unknown>;
    return {
      eventId: event.id,
      type: event.type,
      // A number from `append`, a string from a multi-stream append (whose metadata holds strings only).
      schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : typeof schemaVersion === 'string' ? Number(schemaVersion) : 1,
      streamId,
      category: categoryOf(streamId),
      streamVersion: event.revision + 1n,
      globalPosition: toGlobalPosition(requirePosition(event)),
      logPosition: positionOf(event),
      recordedAt: event.created,
      data: event.data as RecordedEvent['data'],
      metadata: metadata as unknown as RecordedEvent['metadata'],
    };
  }
}

function requirePosition(event: KurrentRecordedEvent): Position {
  // Stream reads carry no position from servers before 22.6, nor for events written in an explicit transaction.
  if (!event.position) throw new Error(`event ${event.id} came without a log position (written in an explicit transaction, or a server before KurrentDB 22.6)`);
  return event.position;
}

function positionOf(event: KurrentRecordedEvent): LogPosition {
  return fromKurrentPosition(requirePosition(event));
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
  const positions = written.map(requirePosition);
  return {
    streamVersion: written[written.length - 1]!.revision + 1n,
    globalPositions: positions.map(toGlobalPosition),
    logPosition: fromKurrentPosition(positions[positions.length - 1]!),
  };
}
