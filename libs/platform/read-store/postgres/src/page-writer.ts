import type { JsonObject, LogPosition, Projection, RecordedEvent } from '@doorbraak/event-store';
import type { SqlExecutor } from '@doorbraak/sql';
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

export interface PageTarget {
  readonly target: GenerationRow;
  /** The generation's table, qualified. */
  readonly table: string;
  readonly schema: string;
  readonly projection: Projection;
}

/** A page folded in memory: the touched rows as one JSON array of `{ key, doc }` (doc null for a deletion). */
export interface FoldedPage {
  readonly changed: string;
  readonly touched: Touched;
}

/**
 * Folds a page of events into the rows they touch, reading at most once the rows the cache does not hold.
 * Each row is settled once, after all its events. Undefined when the page touches no row.
 */
export async function foldPage(reader: SqlExecutor, page: PageTarget, events: readonly RecordedEvent[], cache: RowCache): Promise<FoldedPage | undefined> {
  const { projection } = page;
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
  if (plans.length === 0) return undefined;
  if (unknown.length > 0) {
    const existing = await reader.query<{ key: string; doc: JsonObject }>(`SELECT key, doc FROM ${page.table} WHERE key = ANY($1::text[])`, [unknown], { prepare: true });
    for (const row of existing.rows) rows.set(row.key, row.doc);
  }
  const lookup = (key: string) => rows.get(key) ?? null;
  const changedKeys = new Set<string>();
  for (const { event, keys } of plans) {
    for (const key of keys) {
      const before = rows.get(key) ?? null;
      const after = projection.evolve(before, event, key, lookup);
      // A fold that hands back the row it was given changed nothing: the stored row stays as it is.
      if (after === before) continue;
      rows.set(key, after);
      changedKeys.add(key);
    }
  }
  // The touched rows travel as one JSON document: cheaper on both sides than arrays of jsonb texts.
  const parts: string[] = [];
  const touched = new Map<string, { doc: JsonObject | null; bytes: number }>();
  for (const key of changedKeys) {
    const folded = rows.get(key) ?? null;
    const doc = folded && projection.settle ? projection.settle(folded) : folded;
    const part = JSON.stringify({ key, doc });
    parts.push(part);
    touched.set(key, { doc, bytes: part.length });
  }
  return { changed: `[${parts.join(',')}]`, touched };
}

/**
 * Commits a folded page in one statement: the checkpoint moves from `before` to `to` by compare-and-set (and
 * renews the lease), and only if it moved are the rows upserted and deleted and, for a live generation without
 * personal data, the change-feed records written. False when the checkpoint was not where this runner left it.
 */
export async function commitPage(
  executor: SqlExecutor,
  page: PageTarget & { readonly live: boolean },
  folded: FoldedPage | undefined,
  move: { before: LogPosition; to: LogPosition; events: number; owner: string; leaseMs: number },
): Promise<boolean> {
  const { target, table, schema } = page;
  const feed = page.live && !page.projection.personalData;
  const { rows } = await executor.query<{ moved: number }>(
    `WITH moved AS (
       UPDATE ${schema}.projection_generations
       SET position = $4, events_applied = events_applied + $5, updated_at = now(),
           lease_until = now() + make_interval(secs => $6::double precision / 1000)
       WHERE name = $1 AND generation = $2 AND position = $3 AND lease_owner = $7 AND status <> 'retired'
       RETURNING 1
     ), page AS (
       SELECT r.key, r.doc FROM jsonb_to_recordset($8::jsonb) AS r(key text, doc jsonb) WHERE EXISTS (SELECT 1 FROM moved)
     ), upserted AS (
       INSERT INTO ${table} (key, doc) SELECT key, doc FROM page WHERE doc IS NOT NULL
       ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc
     ), deleted AS (
       DELETE FROM ${table} WHERE key IN (SELECT key FROM page WHERE doc IS NULL)
     ), fed AS (
       INSERT INTO ${schema}.projection_changes (projection, generation, kind, key, doc, source_position)
       SELECT $1, $2, CASE WHEN doc IS NULL THEN 'delete' ELSE 'upsert' END, key, doc, $4 FROM page WHERE $9
     )
     SELECT count(*)::int AS moved FROM moved`,
    [target.name, target.generation, move.before, move.to, move.events, move.leaseMs, move.owner, folded?.changed ?? '[]', feed],
    { prepare: true },
  );
  return rows[0]?.moved === 1;
}
