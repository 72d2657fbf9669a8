import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  InvalidAppendError,
  type JsonObject,
  type LogPosition,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@doorbraak/event-store';
import { open, seal } from './aead';
import { type SubjectKey, SubjectErasedError, type SubjectKeyStore, erasedSubjectOf } from './subject-keys';

/** What an event's `personal` part becomes once its subject's key is destroyed. */
export const ERASED = Object.freeze({ erased: true as const });

const SEALED = 'A256GCM.v1';
interface SealedPersonal {
  readonly sealed: typeof SEALED;
  readonly data: string;
}

function isSealed(value: unknown): value is SealedPersonal {
  return typeof value === 'object' && value !== null && (value as { sealed?: unknown }).sealed === SEALED;
}

/**
 * The event store with crypto-shredding: the `personal` part of every event is sealed (AES-256-GCM, bound to the
 * event id) under the data key of the event's `metadata.subject` before it is stored, and opened when read. A
 * destroyed key reads as `{ erased: true }`; everything else in the event, and so every fold, total and proof over
 * it, is untouched.
 */
export class ShreddingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly keys: SubjectKeyStore,
  ) {}

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult> {
    events.forEach((event, i) => {
      if (event.data['personal'] !== undefined && !event.metadata.subject) {
        throw new InvalidAppendError('an event with a personal part must name its data subject', `events/${i}/metadata/subject`);
      }
    });
    // One key lookup per data subject of the append, not per event.
    const subjects = [...new Set(events.filter((e) => e.data['personal'] !== undefined).map((e) => e.metadata.subject!))];
    const keys = new Map(await Promise.all(subjects.map(async (subject) => [subject, await this.keys.keyFor(subject, events.find((e) => e.metadata.subject === subject)!.metadata.tenant)] as const)));
    const sealed = events.map((event) => {
      const personal = event.data['personal'];
      if (personal === undefined) return event;
      const data = seal(keys.get(event.metadata.subject!)!, Buffer.from(JSON.stringify(personal), 'utf8'), event.eventId).toString('base64');
      return { ...event, data: { ...event.data, personal: { sealed: SEALED, data } } };
    });
    try {
      return await this.inner.append(streamId, sealed, expected);
    } catch (error) {
      // Erased by another process since this one was given the key: the store refused the append.
      const erased = erasedSubjectOf(error);
      if (erased === undefined) throw error;
      this.keys.forget(erased);
      throw new SubjectErasedError(erased);
    }
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openPersonal(await this.inner.readStream(streamId, options));
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    const page = await this.inner.readAll(options);
    return { ...page, events: await this.openPersonal(page.events) };
  }

  head(): Promise<LogPosition> {
    return this.inner.head();
  }

  countAfter(after: LogPosition, filter?: Pick<ReadAllOptions, 'categories' | 'types'>, limit?: number): Promise<number> {
    return this.inner.countAfter(after, filter, limit);
  }

  onAppended(listener: () => void): () => void {
    return this.inner.onAppended(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /**
   * Opens the personal parts of events read from the inner store (one key lookup per data subject), for a
   * reader of the inner store that needs them for some events only.
   */
  async openPersonal(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const subjects = [...new Set(events.filter((e) => isSealed(e.data['personal'])).map((e) => e.metadata.subject!))];
    const keys = await this.keys.keysFor(subjects);
    return events.map((event) => {
      const personal = event.data['personal'];
      if (!isSealed(personal)) return event;
      return { ...event, data: { ...event.data, personal: openPersonal(keys.get(event.metadata.subject!), personal, event.eventId) } };
    });
  }
}

function openPersonal(key: SubjectKey | undefined, personal: SealedPersonal, eventId: string): JsonObject {
  if (!key) throw new Error(`no data key for the subject of event ${eventId}: the key store does not belong to this event store`);
  if ('erased' in key) return ERASED;
  return JSON.parse(open(key.key, Buffer.from(personal.data, 'base64'), eventId).toString('utf8')) as JsonObject;
}
