export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who caused an event and in which context. Stored with every event; the audit trail reads it back. */
export interface EventMetadata {
  /** Pseudonymous id of the person or process that caused the event. */
  readonly actor: string;
  /** The body on whose behalf the actor acted (*namens*), when not the actor itself. */
  readonly onBehalfOf?: string;
  readonly correlationId: string;
  readonly causationId?: string;
  /** The municipality that owns the stream. */
  readonly tenant: string;
  /** Pseudonymous id of the data subject (a household) whose key seals the event's `personal` part. */
  readonly subject?: string;
}

export interface EventToAppend {
  /** UUID; also the idempotency key of the append. */
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  /** The part of the stream id before the first `-`: `plan-42` is in category `plan`. */
  readonly category: string;
  /** 1 for the first event of a stream. */
  readonly streamVersion: bigint;
  /** Unique and increasing in the order positions were handed out (not necessarily commit order). */
  readonly globalPosition: bigint;
  /** Where this event stands in the global read order; resume a read after it with this value. */
  readonly logPosition: import('./log-position').LogPosition;
  /** Server time at which the event was stored. */
  readonly recordedAt: Date;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}
