import { type JsonObject, type LogPosition, logPosition, splitLogPosition } from '@doorbraak/event-store';
import type { SqlExecutor } from '@doorbraak/sql';
import type { GenerationRow } from './generations';

/** One change of a live projection's rows, as subscribers receive it. Keys are stable across redeliveries. */
export interface ChangeRecord {
  readonly cursor: LogPosition;
  readonly projection: string;
  readonly generation: number;
  readonly kind: 'upsert' | 'delete' | 'reset';
  readonly key: string | null;
  readonly row: JsonObject | null;
  /** Position in the event log the row reflects. */
  readonly sourcePosition: LogPosition;
}

/**
 * The change feed of live projections without personal data: the rows each page changed, written by the
 * page's statement (see `commitPage`); a generation going live writes a reset and a snapshot of all its rows.
 */
export class ChangeFeed {
  constructor(private readonly s: string) {}

  /** Subscribers start over with the new generation: a reset, then every row. */
  async reset(tx: SqlExecutor, target: GenerationRow): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.projection_changes (projection, generation, kind, key, doc, source_position)
       SELECT $1, $2, 'reset', NULL, NULL, position FROM ${this.s}.projection_generations WHERE name = $1 AND generation = $2`,
      [target.name, target.generation],
    );
    await tx.query(
      `INSERT INTO ${this.s}.projection_changes (projection, generation, kind, key, doc, source_position)
       SELECT $1, $2, 'upsert', t.key, t.doc, g.position
       FROM ${this.s}.${target.table_name} t, ${this.s}.projection_generations g WHERE g.name = $1 AND g.generation = $2 ORDER BY t.key`,
      [target.name, target.generation],
    );
  }

  /**
   * The records of a projection after a cursor, oldest first, never skipping a late commit (same visibility
   * rule as the event log). With `tenant`, only resets and rows whose `tenant` is that municipality.
   */
  async read(tx: SqlExecutor, name: string, after: LogPosition, limit: number, tenant?: string): Promise<{ changes: ChangeRecord[]; cursor: LogPosition }> {
    const { major, minor } = splitLogPosition(after);
    const { rows } = await tx.query<{ tx_id: string; seq: string; generation: number; kind: ChangeRecord['kind']; key: string | null; doc: JsonObject | null; source_position: LogPosition }>(
      `SELECT c.tx_id::text, c.seq::text, c.generation, c.kind, c.key, c.doc, c.source_position
       FROM ${this.s}.projection_changes c
       WHERE c.projection = $1 AND c.tx_id < pg_snapshot_xmin(pg_current_snapshot())
         AND (c.tx_id, c.seq) > ($2::xid8, $3::bigint)
         AND ($5::text IS NULL OR c.kind = 'reset' OR c.doc->>'tenant' = $5)
       ORDER BY c.tx_id, c.seq LIMIT $4`,
      [name, major.toString(), minor.toString(), limit, tenant ?? null],
    );
    const changes = rows.map((r) => ({
      cursor: logPosition(BigInt(r.tx_id), BigInt(r.seq)),
      projection: name,
      generation: r.generation,
      kind: r.kind,
      key: r.key,
      row: r.doc,
      sourcePosition: r.source_position,
    }));
    return { changes, cursor: changes.at(-1)?.cursor ?? after };
  }
}
