import type { JsonObject, RecordedEvent } from '@doorbraak/event-store';
import { canonicalJson } from '@doorbraak/merkle';
import { createHmac } from 'node:crypto';

/**
 * A keyed commitment to an event's personal part: HMAC-SHA-256 under a random per-event salt. The leaf holds
 * only this commitment, never the personal data (not even encrypted): destroying the salt and the data erases
 * a household while every proof stays valid, and a guessable value cannot be confirmed from the leaf.
 */
export function personalCommitment(personal: unknown, salt: Uint8Array): string {
  return createHmac('sha256', salt).update(canonicalJson(personal)).digest('base64');
}

/** The canonical bytes of an event's leaf (RFC 8785 JSON), version 1. */
export function leafBytes(event: RecordedEvent, logIndex: number, commitment: string | null): Buffer {
  const { personal: _personal, ...facts } = event.data as JsonObject & { personal?: unknown };
  return Buffer.from(
    canonicalJson({
      v: 1,
      logIndex,
      eventId: event.eventId,
      streamId: event.streamId,
      streamVersion: Number(event.streamVersion),
      globalPosition: event.globalPosition.toString(),
      type: event.type,
      schemaVersion: event.schemaVersion,
      recordedAt: event.recordedAt.toISOString(),
      metadata: event.metadata,
      data: facts,
      ...(commitment ? { personal: { commitment } } : {}),
    }),
    'utf8',
  );
}

export function hasPersonal(event: RecordedEvent): boolean {
  return (event.data as { personal?: unknown }).personal !== undefined;
}
