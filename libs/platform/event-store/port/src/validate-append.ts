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
    refuseUnstorable(event.data, `events/${i}/data`);
    refuseUnstorable(event.metadata as unknown as JsonValue, `events/${i}/metadata`);
  });
}

/** Why a value cannot be stored, and the keys from the value down to it (deepest first): built only for a fault. */
interface Fault {
  readonly reason: string;
  readonly keys: string[];
}

function refuseUnstorable(value: JsonValue, path: string): void {
  const fault = faultIn(value);
  if (fault) throw new InvalidAppendError(fault.reason, [path, ...fault.keys.reverse().map((key) => key.replace(/~/g, '~0').replace(/\//g, '~1'))].join('/'));
}

/** The first text or number below `value` that PostgreSQL cannot store, if any. */
function faultIn(value: JsonValue | undefined): Fault | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? { reason: 'text contains U+0000 or an unpaired surrogate', keys: [] } : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { reason: 'numbers must be finite', keys: [] };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const fault = faultIn(value[i]);
      if (fault) {
        fault.keys.push(String(i));
        return fault;
      }
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (UNSTORABLE.test(key)) return { reason: 'key contains U+0000 or an unpaired surrogate', keys: [] };
      const fault = faultIn(value[key]);
      if (fault) {
        fault.keys.push(key);
        return fault;
      }
    }
  }
  return undefined;
}
