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
  return Buffer.from(leafJson(event, logIndex, commitment), 'utf8');
}

/**
 * The canonical JSON of an event's leaf, version 1: the envelope's members written in their RFC 8785 order
 * (sorted by UTF-16 code units) around the canonical JSON of each value, so only metadata and data are sorted
 * per event. The same text as `canonicalJson` of the envelope object (the unit test holds them together).
 */
export function leafJson(event: RecordedEvent, logIndex: number, commitment: string | null): string {
  const facts = event.data['personal'] === undefined ? event.data : withoutPersonal(event.data);
  return (
    `{"data":${canonicalJson(facts)},"eventId":${canonicalJson(event.eventId)},"globalPosition":${canonicalJson(event.globalPosition.toString())}` +
    `,"logIndex":${canonicalJson(logIndex)},"metadata":${canonicalJson(event.metadata)}${commitment ? `,"personal":{"commitment":${canonicalJson(commitment)}}` : ''}` +
    `,"recordedAt":${canonicalJson(event.recordedAt.toISOString())},"schemaVersion":${canonicalJson(event.schemaVersion)},"streamId":${canonicalJson(event.streamId)}` +
    `,"streamVersion":${canonicalJson(Number(event.streamVersion))},"type":${canonicalJson(event.type)},"v":1}`
  );
}

function withoutPersonal({ personal: _personal, ...facts }: JsonObject): JsonObject {
  return facts;
}

export function hasPersonal(event: RecordedEvent): boolean {
  return (event.data as { personal?: unknown }).personal !== undefined;
}
