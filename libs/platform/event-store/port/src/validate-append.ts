import type { EventToAppend, JsonValue } from './event';
import { InvalidAppendError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STREAM_ID = /^[a-z][a-z0-9_]*-[A-Za-z0-9_.:-]{1,200}$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.]{0,127}$/;
// U+0000 and unpaired surrogates cannot be stored as PostgreSQL text or jsonb.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The shared input rules of every adapter; throws before anything is written. */
export function validateAppend(streamId: string, events: readonly EventToAppend[]): void {
  if (!STREAM_ID.test(streamId)) throw new InvalidAppendError(`stream id ${JSON.stringify(streamId)} is not <category>-<id>`, 'streamId');
  if (events.length === 0) throw new InvalidAppendError('an append needs at least one event', 'events');
  const seen = new Set<string>();
  events.forEach((event, i) => {
    if (!UUID.test(event.eventId)) throw new InvalidAppendError('event id must be a UUID', `events/${i}/eventId`);
    const id = event.eventId.toLowerCase();
    if (seen.has(id)) throw new InvalidAppendError('event id appears twice in one append', `events/${i}/eventId`);
    seen.add(id);
    if (!EVENT_TYPE.test(event.type)) throw new InvalidAppendError('event type must be an identifier', `events/${i}/type`);
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidAppendError('schema version must be a positive integer', `events/${i}/schemaVersion`);
    }
    if (!event.metadata.tenant || !event.metadata.actor || !event.metadata.correlationId) {
      throw new InvalidAppendError('metadata needs tenant, actor and correlationId', `events/${i}/metadata`);
    }
    checkStorable(event.data, `events/${i}/data`);
    checkStorable(event.metadata as unknown as JsonValue, `events/${i}/metadata`);
  });
}

function checkStorable(value: JsonValue | undefined, path: string): void {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) throw new InvalidAppendError('text contains U+0000 or an unpaired surrogate', path);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidAppendError('numbers must be finite', path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkStorable(item, `${path}/${i}`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) throw new InvalidAppendError('key contains U+0000 or an unpaired surrogate', path);
      if (item !== undefined) checkStorable(item, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  }
}
