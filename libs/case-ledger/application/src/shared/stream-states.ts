import { type Decider, type DomainEvent, parseLedgerEvent } from '@doorbraak/domain';
import type { EventStore, RecordedEvent } from '@doorbraak/event-store';

/** What a command needs of a stream: its version, its folded state, whose it is and the commands it already holds. */
export interface StreamState<State> {
  readonly version: bigint;
  readonly state: State;
  /** The municipality of the stream's first event; undefined while the stream is empty. */
  readonly tenant: string | undefined;
  readonly logPosition: string;
  /** Per Idempotency-Key stored in the stream: the version and log position of the command's last event. */
  readonly keys: ReadonlyMap<string, { readonly version: bigint; readonly logPosition: string }>;
}

interface Remembered {
  readonly decider: Decider<never, DomainEvent, unknown>;
  readonly state: StreamState<unknown>;
}

const KEY_PREFIX = 'idempotency:';

/**
 * The states of recently used streams, kept in memory (at most `limit` streams, the least recently used is
 * forgotten first). A remembered state may be stale when another process appended since: a command decided on it
 * appends with the remembered version, so the store refuses a stale decision and the command reads again (see
 * ADR 0017). `load` is never stale: it reads what the stream gained since it was remembered.
 */
export class StreamStates {
  private readonly entries = new Map<string, Remembered>();

  constructor(
    readonly store: EventStore,
    private readonly limit = 10_000,
  ) {}

  /** The remembered state, without reading the store; undefined when the stream is not remembered. */
  remembered<State>(streamId: string, decider: Decider<never, DomainEvent, State>): StreamState<State> | undefined {
    const entry = this.entries.get(streamId);
    if (!entry || entry.decider !== decider) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry.state as StreamState<State>;
  }

  /** The stream as it is now: the remembered state with the events appended since, folded and remembered. */
  async load<Event extends DomainEvent, State>(streamId: string, decider: Decider<never, Event, State>): Promise<StreamState<State>> {
    const known = this.remembered(streamId, decider);
    const recorded = await this.store.readStream(streamId, known ? { fromVersion: known.version + 1n } : {});
    if (known && recorded.length === 0) return known;
    return this.remember(streamId, decider, fold(decider, known, recorded));
  }

  /** The stream as a caller of `tenant` sees it now: another municipality's stream reads as absent. */
  async loadOwn<Event extends DomainEvent, State>(streamId: string, decider: Decider<never, Event, State>, tenant: string): Promise<StreamState<State>> {
    const loaded = await this.load(streamId, decider);
    return loaded.tenant === undefined || loaded.tenant === tenant ? loaded : { version: 0n, state: decider.initialState, tenant, logPosition: '', keys: new Map() };
  }

  /** Remembers the state after an append (or a read). */
  remember<State>(streamId: string, decider: Decider<never, DomainEvent, State>, state: StreamState<State>): StreamState<State> {
    this.entries.delete(streamId);
    this.entries.set(streamId, { decider, state });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return state;
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}

/** Folds recorded events onto a known state (or the initial one), parsing each against its schema. */
function fold<Event extends DomainEvent, State>(decider: Decider<never, Event, State>, known: StreamState<State> | undefined, recorded: readonly RecordedEvent[]): StreamState<State> {
  let state = known?.state ?? decider.initialState;
  // Keys only ever gain commands that are stored, so the remembered map is extended in place.
  const keys = (known?.keys as Map<string, { version: bigint; logPosition: string }> | undefined) ?? new Map();
  for (const e of recorded) {
    state = decider.evolve(state, parseLedgerEvent(e.type, e.schemaVersion, e.data) as unknown as Event);
    const cause = e.metadata.causationId;
    if (cause?.startsWith(KEY_PREFIX)) keys.set(cause.slice(KEY_PREFIX.length), { version: e.streamVersion, logPosition: e.logPosition });
  }
  const last = recorded[recorded.length - 1];
  return {
    version: last?.streamVersion ?? known?.version ?? 0n,
    state,
    tenant: known?.tenant ?? recorded[0]?.metadata.tenant,
    logPosition: last?.logPosition ?? known?.logPosition ?? '',
    keys,
  };
}

/** The causation id that marks an event as written by the command with this Idempotency-Key. */
export const causationOf = (idempotencyKey: string): string => `${KEY_PREFIX}${idempotencyKey}`;

/** The stream states, as the application layer gets them injected (one per process, over its event store). */
export const STREAM_STATES = Symbol('StreamStates');
