/** Who asks, for whom, in which municipality, and how the caller wants concurrency and retries handled. */
export interface CommandContext {
  readonly actor: string;
  readonly onBehalfOf?: string;
  readonly tenant: string;
  readonly correlationId: string;
  /** From `Idempotency-Key`: the same key sends the same event ids, so a retry writes nothing new. */
  readonly idempotencyKey?: string;
  /** From `If-Match`: the stream version the caller last saw. */
  readonly expectedVersion?: bigint;
}

export interface CommandResult {
  readonly streamId: string;
  /** The stream's version after the command: the next `If-Match`. */
  readonly version: bigint;
  readonly logPosition: string;
  /** False when an idempotent retry found its events already stored. */
  readonly created: boolean;
}

/** The event store, as the application layer gets it injected. */
export const EVENT_STORE = Symbol('EventStore');
