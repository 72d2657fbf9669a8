import type { JsonObject, LogPosition, Projection, RecordedEvent } from '@doorbraak/event-store';
import type { SqlExecutor } from '@doorbraak/sql';
import type { ChangeFeed } from './change-feed';
import type { GenerationRow } from './generations';

/**
 * The rows of one generation that its runner has read or written, so that a page's fold (and the lookups it
 * makes across streams) need not read them back. Valid because only the lease holder writes the table, and
 * entries change only after their page committed. Bounded by the serialized size of the rows it holds: past
 * `maxBytes` the oldest entries are dropped and a miss reads the table again.
 */
export class RowCache {
  private readonly rows = new Map<string, { doc: JsonObject | null; bytes: number }>();
  private bytes = 0;

  /**
   * @param complete whether the cache starts with every row of the table (an empty table, at the start of the
   *   log): while nothing has been dropped, a miss is a row that does not exist.
   */
  constructor(
    private readonly maxBytes: number,
    private complete: boolean,
  ) {}

  /** The row, null when it does not exist, undefined when the table must be asked. */
  get(key: string): JsonObject | null | undefined {
    const hit = this.rows.get(key);
    if (hit) return hit.doc;
    return this.complete ? null : undefined;
  }

  set(key: string, doc: JsonObject | null, bytes: number): void {
    const previous = this.rows.get(key);
    if (previous) {
      this.bytes -= previous.bytes;
      this.rows.delete(key);
    }
    this.rows.set(key, { doc, bytes });
    this.bytes += bytes;
    if (this.bytes > this.maxBytes) this.shrink();
  }

  /** Drops the oldest quarter of the bound; the table is the truth for what is no longer held. */
  private shrink(): void {
    this.complete = false;
    for (const [key, entry] of this.rows) {
      if (this.bytes <= this.maxBytes * 0.75) break;
      this.rows.delete(key);
      this.bytes -= entry.bytes;
    }
  }
}

/** What a page changed in one generation's table, for the cache once the page committed. */
export type Touched = ReadonlyMap<string, { doc: JsonObject | null; bytes: number }>;

/**
 * Folds a page of events into the rows they touch and writes them set-based: at most one read of the rows the
 * cache does not hold, one upsert and one delete for the whole page, and the change-feed records of a live
 * generation, all in the caller's transaction.
 */
export async function writePage(
  tx: SqlExecutor,
  page: { target: GenerationRow; table: string; projection: Projection; events: readonly RecordedEvent[]; live: boolean; scannedTo: LogPosition },
  cache: RowCache,
  feed: ChangeFeed,
): Promise<Touched> {
  const { projection, events } = page;
  const rows = new Map<string, JsonObject | null>();
  const unknown: string[] = [];
  const plans: { event: RecordedEvent; keys: readonly string[] }[] = [];
  const need = (key: string) => {
    if (rows.has(key)) return;
    const cached = cache.get(key);
    if (cached === undefined) {
      rows.set(key, null);
      unknown.push(key);
    } else rows.set(key, cached);
  };
  for (const event of events) {
    const keys = projection.keysOf(event);
    if (keys.length === 0) continue;
    plans.push({ event, keys });
    keys.forEach(need);
    projection.lookups?.(event).forEach(need);
  }
  const touched = new Map<string, { doc: JsonObject | null; bytes: number }>();
  if (plans.length === 0) return touched;
  if (unknown.length > 0) {
    const existing = await tx.query<{ key: string; doc: JsonObject }>(`SELECT key, doc FROM ${page.table} WHERE key = ANY($1::text[])`, [unknown]);
    for (const row of existing.rows) rows.set(row.key, row.doc);
  }
  const lookup = (key: string) => rows.get(key) ?? null;
  const changedKeys = new Set<string>();
  for (const { event, keys } of plans) {
    for (const key of keys) {
      rows.set(key, projection.evolve(rows.get(key) ?? null, event, key, lookup));
      changedKeys.add(key);
    }
  }
  // The touched rows travel as one JSON document: cheaper on both sides than arrays of jsonb texts.
  const parts: string[] = [];
  const deletes: string[] = [];
  for (const key of changedKeys) {
    const folded = rows.get(key) ?? null;
    const doc = folded && projection.settle ? projection.settle(folded) : folded;
    const part = JSON.stringify({ key, doc });
    parts.push(part);
    touched.set(key, { doc, bytes: part.length });
    if (doc === null) deletes.push(key);
  }
  const changed = `[${parts.join(',')}]`;
  if (deletes.length < changedKeys.size) {
    await tx.query(
      `INSERT INTO ${page.table} (key, doc) SELECT r.key, r.doc FROM jsonb_to_recordset($1::jsonb) AS r(key text, doc jsonb) WHERE r.doc IS NOT NULL
       ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc`,
      [changed],
    );
  }
  if (deletes.length > 0) await tx.query(`DELETE FROM ${page.table} WHERE key = ANY($1::text[])`, [deletes]);
  if (page.live && !projection.personalData) await feed.record(tx, page.target, changed, page.scannedTo);
  return touched;
}
