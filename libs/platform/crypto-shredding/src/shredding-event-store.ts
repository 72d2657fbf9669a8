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
  type StreamAppend,
  type UnitOutcome,
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
    const keys = await this.keysOf([events]);
    try {
      return await this.inner.append(streamId, sealEvents(keys, events), expected);
    } catch (error) {
      throw this.refused(error);
    }
  }

  /** Erased by another process since this one was given the key: the store refused the append. */
  private refused(error: unknown): unknown {
    const erased = erasedSubjectOf(error);
    if (erased === undefined) return error;
    this.keys.forget(erased);
    return new SubjectErasedError(erased);
  }

  /** One key lookup for the subjects of all units; a unit whose subject was erased fails alone. */
  async appendUnits(units: readonly (readonly StreamAppend[])[]): Promise<UnitOutcome[]> {
    const keys = await this.keysOf(units.flatMap((unit) => unit.map((a) => a.events)));
    const outcomes: (UnitOutcome | undefined)[] = [];
    const sealed: StreamAppend[][] = [];
    units.forEach((unit, u) => {
      try {
        sealed.push(unit.map((a) => ({ ...a, events: sealEvents(keys, a.events) })));
        outcomes.push(undefined);
      } catch (error) {
        outcomes[u] = { error };
      }
    });
    const stored = await this.inner.appendUnits(sealed);
    let next = 0;
    return outcomes.map((outcome) => {
      if (outcome) return outcome;
      const result = stored[next++]!;
      return 'error' in result ? { error: this.refused(result.error) } : result;
    });
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
   * The key of every data subject of these events, in one lookup (made for subjects that have none yet), or the
   * error a subject whose key was destroyed gives.
   */
  private async keysOf(appends: readonly (readonly EventToAppend[])[]): Promise<Map<string, Buffer | SubjectErasedError>> {
    const tenants = new Map<string, string>();
    appends.forEach((events, a) =>
      events.forEach((event, i) => {
        if (event.data['personal'] === undefined) return;
        if (!event.metadata.subject) throw new InvalidAppendError('an event with a personal part must name its data subject', `${appends.length > 1 ? `${a}/` : ''}events/${i}/metadata/subject`);
        tenants.set(event.metadata.subject, event.metadata.tenant);
      }),
    );
    const keys = new Map<string, Buffer | SubjectErasedError>();
    for (const subject of tenants.keys()) {
      const remembered = this.keys.rememberedKey(subject);
      if (remembered) keys.set(subject, remembered);
    }
    const stored = await this.keys.keysFor([...tenants.keys()].filter((subject) => !keys.has(subject)));
    const missing = [...tenants].filter(([subject]) => !keys.has(subject) && !stored.has(subject));
    const made = await Promise.all(missing.map(async ([subject, tenant]) => [subject, await this.keys.keyFor(subject, tenant).catch((error: unknown) => error)] as const));
    stored.forEach((key, subject) => {
      if ('erased' in key) return keys.set(subject, new SubjectErasedError(subject));
      this.keys.remember(subject, key.key);
      return keys.set(subject, key.key);
    });
    for (const [subject, key] of made) {
      if (!(key instanceof Buffer) && !(key instanceof SubjectErasedError)) throw key;
      keys.set(subject, key);
    }
    return keys;
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

/** The events with their personal parts sealed under the keys of their subjects. */
function sealEvents(keys: ReadonlyMap<string, Buffer | SubjectErasedError>, events: readonly EventToAppend[]): EventToAppend[] {
  return events.map((event) => {
    const personal = event.data['personal'];
    if (personal === undefined) return event;
    const key = keys.get(event.metadata.subject!)!;
    if (key instanceof SubjectErasedError) throw key;
    const data = seal(key, Buffer.from(JSON.stringify(personal), 'utf8'), event.eventId).toString('base64');
    return { ...event, data: { ...event.data, personal: { sealed: SEALED, data } } };
  });
}

function openPersonal(key: SubjectKey | undefined, personal: SealedPersonal, eventId: string): JsonObject {
  if (!key) throw new Error(`no data key for the subject of event ${eventId}: the key store does not belong to this event store`);
  if ('erased' in key) return ERASED;
  return JSON.parse(open(key.key, Buffer.from(personal.data, 'base64'), eventId).toString('utf8')) as JsonObject;
}
