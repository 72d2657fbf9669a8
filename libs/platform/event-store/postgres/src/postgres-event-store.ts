import {
  type AppendResult,
  type CheckpointStore,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type LogPosition,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type UnitOutcome,
  IdempotencyConflictError,
  WrongExpectedVersionError,
  START,
  categoryOf,
  logPosition,
  splitLogPosition,
  validateAppend,
} from '@doorbraak/event-store';
import { type SqlClient, SqlError, type SqlResult, migrate } from '@doorbraak/sql';
import { eventStoreSchema } from './migrations/0001-event-store.migration';
import { appendWithoutReplayProbe } from './migrations/0002-append-without-replay-probe.migration';
import { columnsTheLogCovers } from './migrations/0003-columns-the-log-covers.migration';
import { groupCommit } from './migrations/0004-group-commit.migration';
import { versionCheckOnTheEventsIndex } from './migrations/0005-version-check-on-the-events-index.migration';
import { appendUnits } from './migrations/0006-append-units.migration';
import { GroupCommit, type Settled } from './group-commit';

export const eventStoreMigrations = [eventStoreSchema, appendWithoutReplayProbe, columnsTheLogCovers, groupCommit, versionCheckOnTheEventsIndex, appendUnits] as const;

/** Appends or units in one group at most: each unit runs in a subtransaction, and PostgreSQL caches 64 subtransaction ids per session. */
const MAX_GROUP = 50;
/**
 * Groups committed at the same time where the database runs transactions side by side: while one group waits
 * for its commit to reach the disk, the next one is already executing. Groups in flight share no stream, so
 * they never wait on each other's versions, and each stream's appends still go in the order they came (ADR 0017).
 */
const GROUPS_IN_FLIGHT = 2;

export interface PostgresEventStoreOptions {
  readonly client: SqlClient;
  /** Database schema holding the store's tables; lets several stores share one database. */
  readonly schema?: string;
}

/** One append as `append_batch` takes it. */
interface AppendItem {
  readonly stream: string;
  readonly expected: string;
  readonly events: readonly Pick<EventToAppend, 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata'>[];
}

interface UnitRow extends BatchRow {
  part: number;
}

interface BatchRow extends AppendRow {
  ord: number;
  error_state: string | null;
  error_detail: string | null;
  error_constraint: string | null;
}

interface AppendRow {
  stream_id: string | null;
  stream_version: string | null;
  global_position: string | null;
  tx_id: string | null;
}

interface EventRow {
  global_position: string;
  tx_id: string;
  event_id: string;
  stream_id: string;
  stream_version: string;
  type: string;
  schema_version: number;
  data: RecordedEvent['data'];
  metadata: RecordedEvent['metadata'];
  recorded_at: Date | string;
}

/** The statements the store runs all the time are prepared once per connection. */
const PREPARED = { prepare: true } as const;

const EVENT_COLUMNS = `e.global_position::text, e.tx_id::text, e.event_id::text, e.stream_id, e.stream_version::text,
  e.type, e.schema_version, e.data, e.metadata, e.recorded_at`;

/**
 * The event store on PostgreSQL or PGlite: one SQL dialect. Appends that arrive while a group is being committed
 * are committed together next (group commit): one round trip and one transaction for the group, each append with
 * its own expected version and its own outcome. Two groups run at a time on PostgreSQL, one on PGlite.
 */
export class PostgresEventStore implements EventStore, CheckpointStore {
  private readonly s: string;
  private readonly listeners = new Set<() => void>();
  /** Appends and units in one queue, so that a stream's appends go in the order they came, whichever kind they are. */
  private readonly groups: GroupCommit<readonly AppendItem[], AppendRow[][]>;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.s = options.schema ?? 'ledger';
    const inFlight = options.client.concurrentTransactions ? GROUPS_IN_FLIGHT : 1;
    this.groups = new GroupCommit((units) => this.commitGroup(units), (unit) => unit.map((item) => item.stream), MAX_GROUP, inFlight);
  }

  get client(): SqlClient {
    return this.options.client;
  }

  get schema(): string {
    return this.s;
  }

  /** Creates or upgrades the store's tables. Safe to run from several processes at once. */
  migrate(): Promise<string[]> {
    return migrate(this.client, this.s, eventStoreMigrations);
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult> {
    const [result] = await this.appendUnit([{ streamId, events, expected }]);
    return result!;
  }

  async appendUnits(units: readonly (readonly StreamAppend[])[]): Promise<UnitOutcome[]> {
    return Promise.all(units.map((unit) => this.appendUnit(unit).then((ok): UnitOutcome => ({ ok }), (error: unknown): UnitOutcome => ({ error }))));
  }

  private async appendUnit(unit: readonly StreamAppend[]): Promise<AppendResult[]> {
    const items = unit.map(toItem);
    let rows: AppendRow[][];
    try {
      rows = await this.groups.submit(items);
    } catch (error) {
      const refused = await this.refused(error, unit);
      if (refused instanceof StoredBefore) return refused.results;
      throw refused;
    }
    this.listeners.forEach((notify) => notify());
    return rows.map(toAppendResult);
  }

  /** A group of single appends as a batch; a group with a unit of several streams as units. */
  private async commitGroup(units: readonly (readonly AppendItem[])[]): Promise<Settled<AppendRow[][]>[]> {
    if (units.some((unit) => unit.length !== 1)) return this.appendUnitGroup(units);
    const outcomes = await this.appendGroup(units.map((unit) => unit[0]!));
    return outcomes.map((outcome) => ('error' in outcome ? outcome : { ok: [outcome.ok] }));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromVersion ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 1n);
    const limit = options.limit ?? 2_147_483_647;
    const { rows } = await this.client.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.s}.events e
       WHERE e.stream_id = $1 AND e.stream_version ${backwards ? '<=' : '>='} $2::bigint
       ORDER BY e.stream_version ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [streamId, from.toString(), limit],
      PREPARED,
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    const { major, minor } = splitLogPosition(options.after);
    const params: unknown[] = [major.toString(), minor.toString(), options.limit];
    const filter = this.filterSql(options, params);
    // One statement, so the page and the head are read under the same snapshot.
    const { rows } = await this.client.query<EventRow & { head_tx: string; head_position: string }>(
      `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
       head AS (
         SELECT e.tx_id AS head_tx, e.global_position AS head_position
         FROM ${this.s}.events e, horizon h WHERE e.tx_id < h.xmin
         ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1),
       page AS (
         SELECT ${EVENT_COLUMNS} FROM ${this.s}.events e, horizon h
         WHERE e.tx_id < h.xmin AND (e.tx_id, e.global_position) > ($1::xid8, $2::bigint) ${filter}
         ORDER BY e.tx_id, e.global_position LIMIT $3)
       SELECT head.head_tx::text, head.head_position::text, page.*
       FROM head LEFT JOIN page ON true`,
      params,
      PREPARED,
    );
    const events = rows.filter((r) => r.event_id !== null).map(toRecordedEvent);
    // The join hands the page on in the order the index gave it. SQL does not promise that, and ordering the
    // joined rows again made the server sort every page (on disk, for pages of wide rows), so the order is checked
    // here instead and restored if it ever differs.
    if (events.some((e, i) => i > 0 && events[i - 1]!.logPosition >= e.logPosition)) events.sort((a, b) => (a.logPosition < b.logPosition ? -1 : 1));
    const head = rows[0] ? logPosition(BigInt(rows[0].head_tx), BigInt(rows[0].head_position)) : START;
    const last = events[events.length - 1];
    const scannedTo = events.length === options.limit && last ? last.logPosition : head > options.after ? head : options.after;
    return { events, scannedTo };
  }

  async head(): Promise<LogPosition> {
    const { rows } = await this.client.query<{ tx_id: string; global_position: string }>(
      `SELECT e.tx_id::text, e.global_position::text FROM ${this.s}.events e
       WHERE e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1`,
    );
    const row = rows[0];
    return row ? logPosition(BigInt(row.tx_id), BigInt(row.global_position)) : START;
  }

  async countAfter(after: LogPosition, filter: Pick<ReadAllOptions, 'categories' | 'types'> = {}, limit = 10_000_000): Promise<number> {
    const { major, minor } = splitLogPosition(after);
    const params: unknown[] = [major.toString(), minor.toString(), limit];
    const where = this.filterSql(filter, params);
    const { rows } = await this.client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM (
         SELECT 1 FROM ${this.s}.events e
         WHERE e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
           AND (e.tx_id, e.global_position) > ($1::xid8, $2::bigint) ${where}
         LIMIT $3) t`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async load(consumer: string): Promise<LogPosition> {
    const { rows } = await this.client.query<{ position: LogPosition }>(
      `SELECT position FROM ${this.s}.consumer_checkpoints WHERE consumer = $1`,
      [consumer],
    );
    return rows[0]?.position ?? START;
  }

  async save(consumer: string, expected: LogPosition, next: LogPosition): Promise<boolean> {
    const { rowCount } = await this.client.query(
      expected === START
        ? `INSERT INTO ${this.s}.consumer_checkpoints AS c (consumer, position) VALUES ($1, $3)
           ON CONFLICT (consumer) DO UPDATE SET position = $3, updated_at = now() WHERE c.position = $2`
        : `UPDATE ${this.s}.consumer_checkpoints SET position = $3, updated_at = now() WHERE consumer = $1 AND position = $2`,
      [consumer, expected, next],
    );
    return rowCount === 1;
  }

  close(): Promise<void> {
    this.listeners.clear();
    return this.client.close();
  }

  /** One append alone, or a group in one statement (its appends in stream order, so that groups wait on versions alike). */
  private async appendGroup(items: readonly AppendItem[]): Promise<Settled<AppendRow[]>[]> {
    const columns = 'stream_version::text, global_position::text, tx_id::text, error_state, error_detail, error_constraint';
    const order = items.map((_, i) => i).sort((a, b) => (items[a]!.stream < items[b]!.stream ? -1 : items[a]!.stream > items[b]!.stream ? 1 : a - b));
    const tryAppend = (item: AppendItem) =>
      this.client.query<BatchRow>(`SELECT 1 AS ord, ${columns} FROM ${this.s}.try_append($1, $2, $3::jsonb)`, [item.stream, item.expected, JSON.stringify(item.events)], PREPARED);
    const { rows } =
      items.length === 1
        ? ((await this.insertAlone(items[0]!)) ?? (await tryAppend(items[0]!)))
        : await this.client.query<BatchRow>(`SELECT ord, ${columns} FROM ${this.s}.append_batch($1::jsonb)`, [JSON.stringify(order.map((i) => items[i]))], PREPARED);
    const outcomes: Settled<AppendRow[]>[] = new Array(items.length);
    const byOrd = byOrdinal(rows);
    order.forEach((item, position) => {
      const got = byOrd.get(position + 1) ?? [];
      const failed = got[0]?.error_state;
      outcomes[item] = failed
        ? { error: new SqlError('append refused', failed, got[0]!.error_constraint ?? undefined, got[0]!.error_detail ?? undefined) }
        : { ok: got.map((r) => ({ stream_id: items[item]!.stream, stream_version: r.stream_version, global_position: r.global_position, tx_id: r.tx_id })) };
    });
    return outcomes;
  }

  /**
   * A lone append of one event that expects an exact version (or no stream) as one plain INSERT, with the check
   * of the expected version in its WHERE clause: the common case at the cost of an INSERT. Undefined when it
   * stored nothing (the version was not there, or the unique index holds that version or the event id): then
   * `try_append` decides what happened, as it does for every other append.
   */
  private async insertAlone(item: AppendItem): Promise<SqlResult<BatchRow> | undefined> {
    if (item.events.length !== 1 || item.expected === 'any' || item.expected === 'stream_exists') return undefined;
    const event = item.events[0]!;
    const stored = await this.client.query<BatchRow>(
      `INSERT INTO ${this.s}.events AS e (event_id, stream_id, stream_version, type, schema_version, data, metadata)
       SELECT $1::uuid, $2, $3::bigint + 1, $4, $5::integer, $6::jsonb, $7::jsonb
       WHERE $3::bigint = 0 OR EXISTS (SELECT 1 FROM ${this.s}.events v WHERE v.stream_id = $2 AND v.stream_version = $3::bigint)
       ON CONFLICT DO NOTHING
       RETURNING 1 AS ord, e.stream_version::text, e.global_position::text, e.tx_id::text, NULL::text AS error_state, NULL::text AS error_detail, NULL::text AS error_constraint`,
      [event.eventId, item.stream, item.expected === 'no_stream' ? '0' : item.expected, event.type, event.schemaVersion, JSON.stringify(event.data), JSON.stringify(event.metadata)],
      PREPARED,
    );
    return stored.rows.length === 1 ? stored : undefined;
  }

  /**
   * The error an append (or a unit) failed with, as the port names it; or, when it was a retry of one stored
   * before, the original result. A retry racing its own original loses on the version or the event id.
   */
  private async refused(error: unknown, unit: readonly StreamAppend[]): Promise<StoredBefore | unknown> {
    if (!(error instanceof SqlError)) return error;
    const lost = error.sqlState === 'LD409' || (error.sqlState === '23505' && error.constraint === 'events_event_id_unique');
    if (lost) {
      const originals = await Promise.all(unit.map((a) => this.findOriginal(a.streamId, a.events)));
      if (originals.every((o) => o !== undefined)) return new StoredBefore(originals as AppendResult[]);
    }
    if (error.sqlState !== 'LD409') return error;
    const failed = unit[error instanceof UnitPartError ? error.part : 0]!;
    return new WrongExpectedVersionError(failed.streamId, failed.expected, BigInt(error.detail ?? '0'));
  }

  /** Units in one statement, in the order given (a unit may expect what an earlier one leaves). */
  private async appendUnitGroup(units: readonly (readonly AppendItem[])[]): Promise<Settled<AppendRow[][]>[]> {
    const { rows } = await this.client.query<UnitRow>(
      `SELECT ord, part, stream_version::text, global_position::text, tx_id::text, error_state, error_detail, error_constraint
       FROM ${this.s}.append_units($1::jsonb)`,
      [JSON.stringify(units)],
      PREPARED,
    );
    const byOrd = byOrdinal(rows);
    return units.map((unit, i): Settled<AppendRow[][]> => {
      const got = byOrd.get(i + 1) ?? [];
      const failed = got.find((r) => r.error_state);
      if (failed) return { error: new UnitPartError(failed.part - 1, failed.error_state!, failed.error_constraint ?? undefined, failed.error_detail ?? undefined) };
      return { ok: unit.map((item, k) => got.filter((r) => r.part === k + 1).map((r) => ({ stream_id: item.stream, stream_version: r.stream_version, global_position: r.global_position, tx_id: r.tx_id }))) };
    });
  }

  private filterSql(filter: Pick<ReadAllOptions, 'categories' | 'types'>, params: unknown[]): string {
    let sql = '';
    if (filter.categories) {
      params.push(filter.categories);
      // The expression of the index events_category_log_order: the category is read from the stream id.
      sql += ` AND split_part(e.stream_id, '-', 1) = ANY($${params.length}::text[])`;
    }
    if (filter.types) {
      params.push(filter.types);
      sql += ` AND e.type = ANY($${params.length}::text[])`;
    }
    return sql;
  }

  private async findOriginal(streamId: string, events: readonly EventToAppend[]): Promise<AppendResult | undefined> {
    const { rows } = await this.client.query<AppendRow>(
      `SELECT e.stream_id, e.stream_version::text, e.global_position::text, e.tx_id::text
       FROM unnest($1::uuid[]) WITH ORDINALITY x(id, ord) LEFT JOIN ${this.s}.events e ON e.event_id = x.id ORDER BY x.ord`,
      [events.map((e) => e.eventId.toLowerCase())],
    );
    return rows.some((r) => r.stream_id !== null) ? this.asReplay(streamId, events, rows) : undefined;
  }

  private asReplay(streamId: string, events: readonly EventToAppend[], rows: AppendRow[]): AppendResult {
    const sameAppend =
      rows.length === events.length &&
      rows.every((r, i) => r.stream_id === streamId && (i === 0 || BigInt(r.stream_version!) === BigInt(rows[i - 1]!.stream_version!) + 1n));
    if (!sameAppend) throw new IdempotencyConflictError(streamId, events.map((e) => e.eventId));
    return toAppendResult(rows);
  }
}

/** The appends of a unit the store holds already, as the original made them. */
class StoredBefore {
  constructor(readonly results: AppendResult[]) {}
}

/** The error that failed a unit, with the index of its append that failed. */
class UnitPartError extends SqlError {
  constructor(
    readonly part: number,
    sqlState: string,
    constraint: string | undefined,
    detail: string | undefined,
  ) {
    super('append refused', sqlState, constraint, detail);
  }
}

/** The rows of a group's statement by the append (or unit) they belong to, counted from 1. */
function byOrdinal<Row extends BatchRow>(rows: readonly Row[]): Map<number, Row[]> {
  const byOrd = new Map<number, Row[]>();
  for (const row of rows) {
    const of = byOrd.get(row.ord);
    if (of) of.push(row);
    else byOrd.set(row.ord, [row]);
  }
  return byOrd;
}

function toItem({ streamId, events, expected }: StreamAppend): AppendItem {
  validateAppend(streamId, events);
  if (typeof expected === 'bigint' && expected < 0n) throw new RangeError('expected version cannot be negative');
  return {
    stream: streamId,
    expected: typeof expected === 'bigint' ? expected.toString() : expected,
    events: events.map((e) => ({ eventId: e.eventId.toLowerCase(), type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata })),
  };
}

function toAppendResult(rows: AppendRow[]): AppendResult {
  const last = rows[rows.length - 1]!;
  return {
    streamVersion: BigInt(last.stream_version!),
    globalPositions: rows.map((r) => BigInt(r.global_position!)),
    logPosition: logPosition(BigInt(last.tx_id!), BigInt(last.global_position!)),
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    category: categoryOf(row.stream_id),
    streamVersion: BigInt(row.stream_version),
    globalPosition: BigInt(row.global_position),
    logPosition: logPosition(BigInt(row.tx_id), BigInt(row.global_position)),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
    data: row.data,
    metadata: row.metadata,
  };
}
