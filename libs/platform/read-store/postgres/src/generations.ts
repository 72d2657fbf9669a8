import { type LogPosition, type Projection, START } from '@doorbraak/event-store';
import type { SqlClient } from '@doorbraak/sql';
import type { ChangeFeed } from './change-feed';
import { LeaseLostError } from './leases';

export interface GenerationStatus {
  readonly name: string;
  readonly generation: number;
  readonly version: number;
  readonly status: 'building' | 'live' | 'retired';
  readonly position: LogPosition;
  readonly eventsApplied: number;
  /** Matching events not yet applied. */
  readonly lag: number;
  readonly leaseOwner: string | null;
}

export interface GenerationRow {
  name: string;
  generation: number;
  version: number;
  table_name: string;
  status: GenerationStatus['status'];
  position: LogPosition;
  events_applied: string;
  lease_owner: string | null;
}

const COLUMNS = 'name, generation, version, table_name, status, position, events_applied::text, lease_owner';

/**
 * The generations of each projection (blue/green): a new one is built from zero into its own table while the
 * live one serves, then takes over in one transaction that retires and drops its predecessor. Its checkpoint
 * moves only by compare-and-set, together with its rows.
 */
export class Generations {
  constructor(
    private readonly client: SqlClient,
    private readonly s: string,
    private readonly feed: ChangeFeed,
  ) {}

  /** Every non-retired generation, of one projection or of all. */
  async list(name?: string): Promise<GenerationRow[]> {
    const { rows } = await this.client.query<GenerationRow>(
      `SELECT ${COLUMNS} FROM ${this.s}.projection_generations
       WHERE ($1::text IS NULL OR name = $1) AND status <> 'retired' ORDER BY name, generation`,
      [name ?? null],
    );
    return rows;
  }

  /** A new generation in `building`, at the start of the log, with a table of its own (secondary indexes come when it goes live). */
  async create(projection: Projection): Promise<GenerationRow> {
    return this.client.transaction(async (tx) => {
      await tx.query(`LOCK TABLE ${this.s}.projection_generations IN EXCLUSIVE MODE`);
      const { rows } = await tx.query<{ next: number }>(
        `SELECT coalesce(max(generation), 0) + 1 AS next FROM ${this.s}.projection_generations WHERE name = $1`,
        [projection.name],
      );
      const generation = rows[0]!.next;
      const table = `rm_${projection.name}_g${generation}`;
      // Rows are large documents written once per page: lz4 compresses them at a fraction of pglz's cost (PGlite has pglz only).
      const { rows: lz4 } = await tx.query<{ available: boolean }>(`SELECT 'lz4' = ANY(enumvals) AS available FROM pg_settings WHERE name = 'default_toast_compression'`);
      const columns = ['key text PRIMARY KEY', `doc jsonb${lz4[0]?.available ? ' COMPRESSION lz4' : ''} NOT NULL`, ...(projection.columns ?? [])];
      await tx.exec(`CREATE TABLE ${this.s}.${table} (${columns.join(', ')})`);
      const inserted = await tx.query<GenerationRow>(
        `INSERT INTO ${this.s}.projection_generations (name, generation, version, table_name, status, position)
         VALUES ($1, $2, $3, $4, 'building', $5) RETURNING ${COLUMNS}`,
        [projection.name, generation, projection.version, table, START],
      );
      return inserted.rows[0]!;
    });
  }

  /**
   * The caught-up generation takes over: it gets its secondary indexes (built once over all rows rather than
   * kept up row by row during the build), the previous live generation is retired and its table dropped.
   */
  async goLive(target: GenerationRow, projection: Projection, owner: string): Promise<void> {
    await this.client.transaction(async (tx) => {
      const table = `${this.s}.${target.table_name}`;
      for (const [i, cols] of (projection.indexes ?? []).entries()) {
        const gin = cols.length === 1 && cols[0]!.startsWith('USING gin');
        await tx.exec(`CREATE INDEX IF NOT EXISTS ${target.table_name}_i${i} ON ${table} ${gin ? cols[0] : `(${cols.join(', ')})`}`);
      }
      const previous = await tx.query<{ table_name: string }>(
        `UPDATE ${this.s}.projection_generations SET status = 'retired', updated_at = now()
         WHERE name = $1 AND status = 'live' RETURNING table_name`,
        [target.name],
      );
      const promoted = await tx.query(
        `UPDATE ${this.s}.projection_generations SET status = 'live', live_since = now(), updated_at = now()
         WHERE name = $1 AND generation = $2 AND lease_owner = $3 AND status = 'building'`,
        [target.name, target.generation, owner],
      );
      if (promoted.rowCount !== 1) throw new LeaseLostError(`${target.name} generation ${target.generation} is no longer this runner's to promote`);
      // Never rows with personal data in the feed.
      if (!projection.personalData) await this.feed.reset(tx, target);
      for (const { table_name } of previous.rows) await tx.query(`DROP TABLE IF EXISTS ${this.s}.${table_name}`);
    });
  }
}
