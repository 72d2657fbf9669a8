import type { JsonObject } from './event';
import type { ReadAllOptions } from './event-store.port';
import type { LogPosition } from './log-position';
import type { RecordedEvent } from './event';

/**
 * A read model as a pure fold over rows. The runtime loads the rows an event touches, folds the event into each
 * with `evolve`, and writes the changed rows together with the projection's checkpoint in one transaction.
 *
 * Rows are stored as `(key text, doc jsonb)` in a table per projection version; `columns` adds typed columns
 * generated from `doc` (use NUMERIC for money) so queries can filter, sort and aggregate in SQL.
 */
export interface Projection<Row extends JsonObject = JsonObject> {
  /** snake_case; also the prefix of its tables. */
  readonly name: string;
  /** Bump when `evolve` or the row shape changes: the new version is rebuilt from zero and then takes over. */
  readonly version: number;
  readonly filter: Pick<ReadAllOptions, 'categories' | 'types'>;
  /** The keys of the rows this event changes; empty when it changes none. */
  keysOf(event: RecordedEvent): readonly string[];
  /** Other rows `evolve` may read (e.g. the mandate a decision used, the budget a spend is booked on). */
  lookups?(event: RecordedEvent): readonly string[];
  /** Pure: the row after the event, or null to delete it. `lookup` reads rows named by `lookups`. */
  evolve(row: Row | null, event: RecordedEvent, key: string, lookup: (key: string) => Row | null): Row | null;
  /**
   * Pure: the row as it is stored, with the parts that follow from the rest of it (totals, list fields) derived
   * once per row per page, after its events are folded. `evolve` must not read what `settle` derives.
   */
  settle?(row: Row): Row;
  /** Generated columns, e.g. `"category text GENERATED ALWAYS AS (doc->>'category') STORED"`. */
  readonly columns?: readonly string[];
  /** Column lists to index, e.g. `['category']`; a single `USING gin (col)` entry makes a GIN index. */
  readonly indexes?: readonly (readonly string[])[];
  /** Whether rows carry personal data: such rows never enter the change feed and cannot be subscribed to. */
  readonly personalData?: boolean;
  /**
   * Whether `evolve` reads events' `personal` parts. Only then does the runtime open them (with the
   * crypto-shredding store); every other projection sees them sealed, which tells that there was one.
   */
  readonly readsPersonal?: boolean;
}

/** Erases the row type so projections of different rows can sit in one list. */
export function defineProjection<Row extends JsonObject>(projection: Projection<Row>): Projection {
  return projection as unknown as Projection;
}

/** Reads the live table of a projection. `consistentWith` waits (bounded) until the projection has applied that position. */
export interface ReadModels {
  query<Row = JsonObject>(projection: string, build: (table: string) => { sql: string; params: unknown[] }, consistentWith?: LogPosition): Promise<Row[]>;
}
