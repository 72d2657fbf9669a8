import { type LedgerEvent, parseLedgerEvent } from '@doorbraak/domain';
import { type EventStore, type RecordedEvent, readAllEvents } from '@doorbraak/event-store';
import { ResourceNotFound } from './application-errors';

export interface LoadedStream {
  readonly events: readonly LedgerEvent[];
  readonly recorded: readonly RecordedEvent[];
  readonly version: bigint;
  /** The stream exists but belongs to another municipality (and reads as empty). */
  readonly foreign: boolean;
}

/**
 * Reads a stream and parses every event against its schema. A stream of another municipality reads as absent,
 * so its existence is not disclosed.
 */
export async function loadStream(store: EventStore, streamId: string, tenant: string): Promise<LoadedStream> {
  const recorded = await store.readStream(streamId);
  if (recorded.length > 0 && recorded[0]!.metadata.tenant !== tenant) return { events: [], recorded: [], version: 0n, foreign: true };
  return {
    foreign: false,
    events: recorded.map((e) => parseLedgerEvent(e.type, e.schemaVersion, e.data)),
    recorded,
    version: recorded.length ? recorded[recorded.length - 1]!.streamVersion : 0n,
  };
}

export async function loadExisting(store: EventStore, streamId: string, tenant: string, what: string): Promise<LoadedStream> {
  const loaded = await loadStream(store, streamId, tenant);
  if (loaded.version === 0n) throw new ResourceNotFound(`no ${what} with this id`);
  return loaded;
}

/** Every event of these categories and types in one municipality, in log order (reads the whole log). */
export async function scanTenant(store: EventStore, categories: string[], types: string[], tenant: string): Promise<RecordedEvent[]> {
  return (await readAllEvents(store, { categories, types, pageSize: 1_000 })).filter((e) => e.metadata.tenant === tenant);
}

/** The `PlanDrafted` events of a household's plans. */
export async function plansOfHousehold(store: EventStore, householdId: string, tenant: string): Promise<RecordedEvent[]> {
  return (await scanTenant(store, ['plan'], ['PlanDrafted'], tenant)).filter((e) => e.data['householdId'] === householdId);
}
