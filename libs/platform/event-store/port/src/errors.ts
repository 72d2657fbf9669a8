import type { ExpectedVersion } from './event-store.port';

/** Base of every error the event store port defines; `code` is stable and safe to show. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** The stream was not at the version the append expected. Maps to HTTP 412 (stale If-Match) or a retry. */
export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** 0n when the stream does not exist. */
    readonly actual: bigint,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${describeExpected(expected)}`);
  }
}

/** Some of the event ids were stored before, but not as this exact append. */
export class IdempotencyConflictError extends EventStoreError {
  readonly code = 'EVENT_STORE.IDEMPOTENCY_CONFLICT';
  constructor(readonly streamId: string, readonly eventIds: readonly string[]) {
    super(`event ids ${eventIds.join(', ')} were already appended as part of a different append`);
  }
}

/** The events cannot be stored as given (bad id, unsupported characters, empty append...). Nothing was written. */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'EVENT_STORE.INVALID_APPEND';
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

/**
 * The store cannot serve the request now: no node is reachable, the cluster is electing a leader, or the request
 * timed out. Retrying later may succeed; an append retried with the same event ids is stored at most once.
 */
export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'EVENT_STORE.UNAVAILABLE';
  constructor(message: string, options?: ErrorOptions) {
    super(`event store unavailable: ${message}`, options);
  }
}

/** The store refused the request for lack of rights: its credentials or ACLs are misconfigured. Not worth retrying. */
export class EventStoreAccessDeniedError extends EventStoreError {
  readonly code = 'EVENT_STORE.ACCESS_DENIED';
  constructor(message: string, options?: ErrorOptions) {
    super(`event store access denied: ${message}`, options);
  }
}

/** The stream was deleted in the store itself, outside the ledger: it can be neither read nor appended to. */
export class StreamDeletedError extends EventStoreError {
  readonly code = 'EVENT_STORE.STREAM_DELETED';
  constructor(readonly streamId: string, options?: ErrorOptions) {
    super(`stream ${streamId} was deleted`, options);
  }
}

function describeExpected(expected: ExpectedVersion): string {
  return typeof expected === 'bigint' ? `version ${expected}` : expected.replace('_', ' ');
}
