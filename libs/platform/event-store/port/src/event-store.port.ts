import type { EventToAppend, RecordedEvent } from './event';
import type { LogPosition } from './log-position';

/**
 * What the append expects the stream to be: at an exact version (0n = no events yet), absent, present, or
 * anything. Every mode is enforced by every adapter (the contract suite checks each).
 */
export type ExpectedVersion = bigint | 'no_stream' | 'stream_exists' | 'any';

export interface AppendResult {
  /** The stream's version after the append (the version of its last event). */
  readonly streamVersion: bigint;
  /** One per appended event, in order. */
  readonly globalPositions: readonly bigint[];
  /** Log position of the last appended event; a consumer whose checkpoint reached it has seen the append. */
  readonly logPosition: LogPosition;
}

/** One stream's part of a unit of `appendUnits`. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expected: ExpectedVersion;
}

/** What became of one unit: the result of each of its streams, in its order, or why none of it was written. */
export type UnitOutcome = { readonly ok: readonly AppendResult[] } | { readonly error: unknown };

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first event going forwards and the last going backwards. */
  readonly fromVersion?: bigint;
  readonly limit?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. */
  readonly after: LogPosition;
  readonly limit: number;
  readonly categories?: readonly string[];
  readonly types?: readonly string[];
}

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /**
   * How far this read looked: every event up to here that matches the filter is in `events` (when fewer than
   * `limit` came back) or lies after the last one. A consumer may move its checkpoint here.
   */
  readonly scannedTo: LogPosition;
}

/**
 * The ledger's event store. Streams are named `<category>-<id>`.
 *
 * ```ts
 * const { streamVersion } = await store.append('plan-42', [event], 3n);
 * const events = await store.readStream('plan-42');
 * const page = await store.readAll({ after: START, limit: 500, categories: ['plan'] });
 * ```
 *
 * Global reads never skip an event whose transaction commits late: an event becomes visible to `readAll` only
 * once every event that could sort before it is final.
 */
export interface EventStore {
  /**
   * Appends atomically. Appending event ids that were stored before by the same append (a retry) returns the
   * original result and writes nothing.
   * @throws WrongExpectedVersionError, IdempotencyConflictError, InvalidAppendError; and from a backend that can
   *   fail that way, EventStoreUnavailableError, EventStoreAccessDeniedError, StreamDeletedError (reads too)
   */
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult>;
  /**
   * Appends each unit atomically: all of its streams, each at its expected version, or none of them. Units are
   * independent, each with its own outcome (in the order given); a unit may expect what an earlier unit of the
   * same call leaves in a stream. A unit retried with the same event ids returns its original results. Errors of
   * a unit are those of `append`, for the stream that failed it.
   */
  appendUnits(units: readonly (readonly StreamAppend[])[]): Promise<UnitOutcome[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options: ReadAllOptions): Promise<ReadAllResult>;
  /** The position of the last event visible to `readAll`. */
  head(): Promise<LogPosition>;
  /** Number of visible events after `after` (bounded by `limit`), for lag and progress reports. */
  countAfter(after: LogPosition, filter?: Pick<ReadAllOptions, 'categories' | 'types'>, limit?: number): Promise<number>;
  /**
   * Hint that something was appended, so consumers need not wait for their next poll: appends made through this
   * instance, and on a backend that pushes them (KurrentDB) appends made by any process. Only a hint: consumers
   * still poll, and read from their own position.
   */
  onAppended(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Durable consumer checkpoints, compare-and-set so two runners cannot both advance one consumer. */
export interface CheckpointStore {
  load(consumer: string): Promise<LogPosition>;
  /** @returns false when the stored checkpoint was not `expected` (another runner moved it). */
  save(consumer: string, expected: LogPosition, next: LogPosition): Promise<boolean>;
}
