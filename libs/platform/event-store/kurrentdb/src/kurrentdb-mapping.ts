import {
  type EventToAppend,
  type ExpectedVersion,
  type LogPosition,
  EventStoreAccessDeniedError,
  EventStoreUnavailableError,
  START,
  StreamDeletedError,
  logPosition,
  splitLogPosition,
} from '@doorbraak/event-store';
import {
  type AppendStreamState,
  type CurrentStreamState,
  type EventData,
  type Position,
  ErrorType,
  NO_STREAM,
  START as KURRENT_START,
  jsonEvent,
} from '@kurrent/kurrentdb-client';

/**
 * KurrentDB orders `$all` by commit position, then prepare position. The LogPosition encodes the pair in that
 * order, so comparing LogPositions as strings compares them as the server does.
 */
export function fromKurrentPosition(position: Position): LogPosition {
  return logPosition(position.commit, position.prepare);
}

export function toKurrentPosition(position: LogPosition): Position | typeof KURRENT_START {
  if (position === START) return KURRENT_START;
  const { major, minor } = splitLogPosition(position);
  return { commit: major, prepare: minor };
}

/**
 * An event's global position is its prepare position, the offset of its own record in the log: unique per event.
 * The commit position is not: events of a legacy explicit transaction share the position of its commit record.
 * (Appends outside explicit transactions give every event commit = prepare.)
 */
export function toGlobalPosition(position: Position): bigint {
  return position.prepare;
}

/**
 * The expected state an append sends. Port versions count events (0n = none); KurrentDB revisions number them
 * from 0. `any` and `stream_exists` are sent as the exact revision the adapter read (`current`), since the server
 * recognises a retried append only at an exact revision. Undefined when `current` cannot meet the expectation.
 */
export function toStreamState(expected: ExpectedVersion, current?: CurrentStreamState): AppendStreamState | undefined {
  if (typeof expected === 'bigint') return expected === 0n ? NO_STREAM : expected - 1n;
  if (expected === 'no_stream') return NO_STREAM;
  if (current === undefined || (expected === 'stream_exists' && current === NO_STREAM)) return undefined;
  return current;
}

export function toVersion(state: CurrentStreamState): bigint {
  return state === NO_STREAM ? 0n : state + 1n;
}

/** schemaVersion rides in the metadata because KurrentDB events have no field for it. */
export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: { ...event.metadata, schemaVersion: event.schemaVersion } });
}

/**
 * An event as a multi-stream append sends it: that request takes metadata of string values only, so schemaVersion
 * goes as a string and absent fields are left out.
 */
export function toUnitEventData(event: EventToAppend): EventData {
  const metadata = Object.fromEntries(Object.entries({ ...event.metadata, schemaVersion: String(event.schemaVersion) }).filter(([, value]) => value !== undefined));
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata });
}

/**
 * The port's error for a client error, or the error itself when the port has none for it. Errors are matched on
 * the client's `type` tag rather than by class, so a second copy of the client package still matches.
 */
export function toPortError(error: unknown, streamId: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  switch (clientErrorType(error)) {
    case ErrorType.NOT_LEADER:
    case ErrorType.UNAVAILABLE:
    case ErrorType.DEADLINE_EXCEEDED:
    case ErrorType.TIMEOUT:
      return new EventStoreUnavailableError(message, { cause: error });
    case ErrorType.ACCESS_DENIED:
      return new EventStoreAccessDeniedError(message, { cause: error });
    case ErrorType.STREAM_DELETED:
    case ErrorType.STREAM_TOMBSTONED:
      return new StreamDeletedError(streamId, { cause: error });
    default:
      return error;
  }
}

export function clientErrorType(error: unknown): unknown {
  return error instanceof Error ? (error as { type?: unknown }).type : undefined;
}
