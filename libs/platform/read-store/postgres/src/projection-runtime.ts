import {
  type EventStore,
  type JsonObject,
  type LogPosition,
  type Projection,
  type ReadAllResult,
  type ReadModels,
  START,
  catchUp,
  logPosition,
  splitLogPosition,
} from '@doorbraak/event-store';
import { type SqlClient, type SqlExecutor, SqlError, migrate } from '@doorbraak/sql';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { projectionChangesSchema, projectionRuntimeSchema } from './projection-runtime.migration';

export interface ProjectionRuntimeOptions {
  readonly store: EventStore;
  /** Where the read models live; with the PostgreSQL store this is usually the same database. */
  readonly client: SqlClient;
  readonly schema?: string;
  readonly projections: readonly Projection[];
  readonly batchSize?: number;
  /** A runner that has not renewed its lease for this long is presumed dead and replaced. */
  readonly leaseMs?: number;
  readonly idleMs?: number;
  readonly onError?: (error: unknown, projection: string) => void;
}

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

interface GenerationRow {
  name: string;
  generation: number;
  version: number;
  table_name: string;
  status: GenerationStatus['status'];
  position: LogPosition;
  events_applied: string;
  lease_owner: string | null;
}

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

/** A generation lost its lease to another runner mid-batch; the batch was rolled back. */
export class LeaseLostError extends Error {}

const NAME = /^[a-z][a-z0-9_]{0,40}$/;

/**
 * Runs projections: each page of events is folded into the rows it touches, and the rows and the checkpoint
 * are committed in one transaction, so a crash or a redelivery can neither lose nor double-apply an event.
 */
export class ProjectionRuntime implements ReadModels {
  readonly owner = `runner-${randomUUID()}`;
  private readonly s: string;
  private readonly byName: ReadonlyMap<string, Projection>;
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private readonly commitListeners = new Set<() => void>();
  private readonly liveTables = new Map<string, string>();

  constructor(private readonly options: ProjectionRuntimeOptions) {
    this.s = options.schema ?? 'ledger';
    for (const p of options.projections) {
      if (!NAME.test(p.name)) throw new Error(`projection name ${JSON.stringify(p.name)} must be snake_case`);
    }
    this.byName = new Map(options.projections.map((p) => [p.name, p]));
    // Every projection's runs listen to this one signal at once: more than Node's default warning threshold.
    setMaxListeners(10 + 2 * options.projections.length, this.controller.signal);
  }

  get projections(): readonly Projection[] {
    return this.options.projections;
  }

  private migrated: Promise<unknown> | undefined;

  /** Creates or upgrades the runtime's tables; resolves to the migrations it applied. */
  migrate(): Promise<string[]> {
    return migrate(this.options.client, this.s, [projectionRuntimeSchema, projectionChangesSchema]);
  }

  /** Every public operation first makes sure the tables exist (once per runtime). */
  private ensureSchema(): Promise<unknown> {
    this.migrated ??= this.migrate();
    return this.migrated;
  }

  /** Makes sure each projection's current version has a generation, then runs them until `stop`. */
  async start(): Promise<void> {
    await this.ensureSchema();
    for (const projection of this.options.projections) await this.ensureGeneration(projection);
    for (const projection of this.options.projections) this.spawn(projection.name);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.running]);
  }

  /**
   * Starts a fresh generation of the projection from the start of the log. The live generation keeps serving
   * until the new one has caught up and takes over.
   */
  async rebuild(name: string): Promise<GenerationStatus> {
    await this.ensureSchema();
    const projection = this.projection(name);
    const row = await this.createGeneration(projection);
    return this.describe(row);
  }

  /**
   * Runs the building generations of one projection in the foreground until they are live (for the CLI).
   * `progress` receives the applied count and the total to go.
   */
  async runUntilLive(name: string, progress?: (status: GenerationStatus) => void): Promise<void> {
    await this.ensureSchema();
    await this.ensureGeneration(this.projection(name));
    for (;;) {
      const building = (await this.generations(name)).filter((g) => g.status === 'building');
      if (building.length === 0) return;
      const target = building[building.length - 1]!;
      const ran = await this.runGeneration(target, this.controller.signal, progress, true);
      if (this.controller.signal.aborted) return;
      // Another process holds the lease and is building it; wait for it rather than spin.
      if (!ran) await sleepUnlessAborted(this.options.idleMs ?? 250, this.controller.signal);
    }
  }

  /**
   * Brings every projection up to the current end of the log in the foreground (for one-shot commands such as
   * reports in a process that does not run the projections).
   */
  async runUntilCaughtUp(): Promise<void> {
    for (const projection of this.options.projections) await this.runUntilLive(projection.name);
    const head = await this.options.store.head();
    for (const projection of this.options.projections) {
      const live = (await this.generations(projection.name)).find((g) => g.status === 'live' && g.version === projection.version);
      if (live && live.position < head) await this.catchUpLive(live);
    }
  }

  /** Resolves once the live generation of `name` has applied everything up to `position`. */
  async waitFor(name: string, position: LogPosition, timeoutMs = 30_000): Promise<void> {
    await this.ensureSchema();
    const { version } = this.projection(name);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = (await this.generations(name)).find((g) => g.status === 'live' && g.version === version);
      if (live && live.position >= position) return;
      if (Date.now() > deadline) throw new Error(`projection ${name} did not reach ${position} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 50);
        const unsubscribe = this.onCommit(done);
        function done() {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
      });
    }
  }

  private async catchUpLive(live: GenerationRow): Promise<void> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    this.controller.signal.addEventListener('abort', stop);
    try {
      await this.runGeneration(live, controller.signal, undefined, true);
    } finally {
      this.controller.signal.removeEventListener('abort', stop);
    }
  }

  /** The table holding the live rows of a projection (qualified), for queries. */
  async liveTable(name: string): Promise<string> {
    await this.ensureSchema();
    const live = (await this.generations(name)).find((g) => g.status === 'live');
    if (!live) throw new Error(`projection ${name} has no live generation yet`);
    return `${this.s}.${live.table_name}`;
  }

  /**
   * Reads the live table, remembered per projection. A generation going live drops the tables it replaces, so
   * a table another process retired reads as missing (42P01): then the live table is looked up again.
   */
  async query<Row = JsonObject>(name: string, build: (table: string) => { sql: string; params: unknown[] }, consistentWith?: LogPosition): Promise<Row[]> {
    if (consistentWith) await this.waitFor(name, consistentWith, 10_000);
    const remembered = this.liveTables.get(name);
    if (remembered) {
      try {
        const { sql, params } = build(remembered);
        return (await this.options.client.query<Row>(sql, params)).rows;
      } catch (error) {
        if (!(error instanceof SqlError && error.sqlState === '42P01')) throw error;
      }
    }
    const table = await this.liveTable(name);
    this.liveTables.set(name, table);
    const { sql, params } = build(table);
    return (await this.options.client.query<Row>(sql, params)).rows;
  }

  /** Every non-retired generation with its checkpoint and lag. */
  async status(): Promise<GenerationStatus[]> {
    await this.ensureSchema();
    const rows = await this.options.client.query<GenerationRow>(
      `SELECT name, generation, version, table_name, status, position, events_applied::text, lease_owner
       FROM ${this.s}.projection_generations WHERE status <> 'retired' ORDER BY name, generation`,
    );
    return Promise.all(rows.rows.filter((r) => this.byName.has(r.name)).map((r) => this.describe(r)));
  }

  /**
   * The change records of a projection after a cursor, oldest first, never skipping a late commit (same
   * visibility rule as the event log). `cursor` of each record resumes after it. With `tenant`, only resets and
   * rows whose `tenant` is that municipality.
   */
  async changes(name: string, after: LogPosition, limit: number, tenant?: string): Promise<{ changes: ChangeRecord[]; cursor: LogPosition }> {
    this.projection(name);
    await this.ensureSchema();
    const { major, minor } = splitLogPosition(after);
    const { rows } = await this.options.client.query<{ tx_id: string; seq: string; generation: number; kind: ChangeRecord['kind']; key: string | null; doc: JsonObject | null; source_position: LogPosition }>(
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

  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private projection(name: string): Projection {
    const projection = this.byName.get(name);
    if (!projection) throw new Error(`unknown projection ${JSON.stringify(name)}; known: ${[...this.byName.keys()].join(', ')}`);
    return projection;
  }

  private async describe(row: GenerationRow): Promise<GenerationStatus> {
    const projection = this.projection(row.name);
    return {
      name: row.name,
      generation: row.generation,
      version: row.version,
      status: row.status,
      position: row.position,
      eventsApplied: Number(row.events_applied),
      lag: await this.options.store.countAfter(row.position, projection.filter),
      leaseOwner: row.lease_owner,
    };
  }

  private async generations(name: string): Promise<GenerationRow[]> {
    const { rows } = await this.options.client.query<GenerationRow>(
      `SELECT name, generation, version, table_name, status, position, events_applied::text, lease_owner
       FROM ${this.s}.projection_generations WHERE name = $1 AND status <> 'retired' ORDER BY generation`,
      [name],
    );
    return rows;
  }

  private async ensureGeneration(projection: Projection): Promise<void> {
    const current = await this.generations(projection.name);
    if (!current.some((g) => g.version === projection.version)) await this.createGeneration(projection);
  }

  private async createGeneration(projection: Projection): Promise<GenerationRow> {
    return this.options.client.transaction(async (tx) => {
      await tx.query(`LOCK TABLE ${this.s}.projection_generations IN EXCLUSIVE MODE`);
      const { rows } = await tx.query<{ next: number }>(
        `SELECT coalesce(max(generation), 0) + 1 AS next FROM ${this.s}.projection_generations WHERE name = $1`,
        [projection.name],
      );
      const generation = rows[0]!.next;
      const table = `rm_${projection.name}_g${generation}`;
      await tx.exec(createTableSql(`${this.s}.${table}`, projection));
      const inserted = await tx.query<GenerationRow>(
        `INSERT INTO ${this.s}.projection_generations (name, generation, version, table_name, status, position)
         VALUES ($1, $2, $3, $4, 'building', $5)
         RETURNING name, generation, version, table_name, status, position, events_applied::text, lease_owner`,
        [projection.name, generation, projection.version, table, START],
      );
      return inserted.rows[0]!;
    });
  }

  private spawn(name: string): void {
    const task = this.superviseProjection(name).finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /**
   * Runs every generation of the projection's current version (the live one keeps serving while a rebuild
   * catches up) and picks up generations that another process created. Older versions stay frozen until
   * their successor takes over.
   */
  private async superviseProjection(name: string): Promise<void> {
    const projection = this.projection(name);
    const signal = this.controller.signal;
    const active = new Map<number, Promise<void>>();
    while (!signal.aborted) {
      try {
        for (const generation of await this.generations(name)) {
          if (generation.version !== projection.version || active.has(generation.generation)) continue;
          const run = this.runGeneration(generation, signal, undefined, false)
            .then(
              () => undefined,
              (error: unknown) => this.options.onError?.(error, name),
            )
            .finally(() => active.delete(generation.generation));
          active.set(generation.generation, run);
        }
      } catch (error) {
        this.options.onError?.(error, name);
      }
      await sleepUnlessAborted(this.options.leaseMs ?? 5_000, signal);
    }
    await Promise.allSettled([...active.values()]);
  }

  /**
   * Applies pages to one generation while it holds the lease. With `untilLive`, returns once the generation
   * has caught up and gone live.
   */
  private async runGeneration(
    target: GenerationRow,
    signal: AbortSignal,
    progress: ((status: GenerationStatus) => void) | undefined,
    untilLive: boolean,
  ): Promise<boolean> {
    const projection = this.projection(target.name);
    const leaseMs = this.options.leaseMs ?? 5_000;
    // Each run holds the lease under its own name, so two runs in one process exclude each other too.
    const owner = `${this.owner}/${randomUUID()}`;
    let position = await this.acquireLease(target, leaseMs, owner);
    if (position === undefined) return false;
    const local = new AbortController();
    const stopLocal = () => local.abort();
    signal.addEventListener('abort', stopLocal);
    let status = target.status;
    let applied = Number(target.events_applied);
    let failure: unknown;
    const heartbeat = setInterval(() => {
      this.renewLease(target, leaseMs, owner).then(
        (held) => held || local.abort(),
        () => local.abort(),
      );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    try {
      await catchUp({
        store: this.options.store,
        from: position,
        filter: projection.filter,
        batchSize: this.options.batchSize ?? 1_000,
        idleMs: this.options.idleMs ?? 250,
        signal: local.signal,
        onError: (error) => {
          failure = error;
          local.abort();
        },
        handle: async (page) => {
          const before = position!;
          await this.options.client.transaction(async (tx) => {
            await this.apply(tx, target, projection, page, status === 'live');
            await this.advance(tx, target, before, page, leaseMs, owner);
          });
          position = page.scannedTo;
          applied += page.events.length;
          this.commitListeners.forEach((notify) => notify());
          if (progress) progress(await this.describe({ ...target, status, position, events_applied: String(applied) }));
        },
        onCaughtUp: async () => {
          if (status === 'building') {
            await this.options.client.transaction((tx) => this.goLive(tx, target, owner));
            this.liveTables.delete(target.name);
            status = 'live';
            this.commitListeners.forEach((notify) => notify());
          }
          // With untilLive the run ends at the end of the log, whether it was building or already live.
          if (untilLive) local.abort();
        },
      });
    } finally {
      clearInterval(heartbeat);
      signal.removeEventListener('abort', stopLocal);
      await this.releaseLease(target, owner);
    }
    if (failure !== undefined) throw failure;
    return true;
  }

  private async apply(tx: SqlExecutor, target: GenerationRow, projection: Projection, page: ReadAllResult, live: boolean): Promise<void> {
    if (page.events.length === 0) return;
    const table = `${this.s}.${target.table_name}`;
    const touched = new Map<string, JsonObject | null>();
    const plans = page.events.map((event) => ({ event, keys: projection.keysOf(event) }));
    const keys = [...new Set(plans.flatMap((p) => [...p.keys, ...(p.keys.length && projection.lookups ? projection.lookups(p.event) : [])]))];
    if (keys.length === 0) return;
    const existing = await tx.query<{ key: string; doc: JsonObject }>(`SELECT key, doc FROM ${table} WHERE key = ANY($1::text[])`, [keys]);
    const rows = new Map<string, JsonObject | null>(existing.rows.map((r) => [r.key, r.doc]));
    const lookup = (key: string) => rows.get(key) ?? null;
    for (const { event, keys: eventKeys } of plans) {
      for (const key of eventKeys) {
        const next = projection.evolve(rows.get(key) ?? null, event, key, lookup);
        rows.set(key, next);
        touched.set(key, next);
      }
    }
    // The touched rows travel as one JSON document: cheaper on both sides than arrays of jsonb texts.
    const changed = JSON.stringify([...touched].map(([key, doc]) => ({ key, doc })));
    const deletes = [...touched].filter(([, doc]) => doc === null).map(([key]) => key);
    if (deletes.length < touched.size) {
      await tx.query(
        `INSERT INTO ${table} (key, doc) SELECT r.key, r.doc FROM jsonb_to_recordset($1::jsonb) AS r(key text, doc jsonb) WHERE r.doc IS NOT NULL
         ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc`,
        [changed],
      );
    }
    if (deletes.length > 0) await tx.query(`DELETE FROM ${table} WHERE key = ANY($1::text[])`, [deletes]);
    if (live && !projection.personalData) {
      await tx.query(
        `INSERT INTO ${this.s}.projection_changes (projection, generation, kind, key, doc, source_position)
         SELECT $1, $2, CASE WHEN r.doc IS NULL THEN 'delete' ELSE 'upsert' END, r.key, r.doc, $4
         FROM jsonb_to_recordset($3::jsonb) AS r(key text, doc jsonb)`,
        [target.name, target.generation, changed, page.scannedTo],
      );
    }
  }

  private async advance(tx: SqlExecutor, target: GenerationRow, before: LogPosition, page: ReadAllResult, leaseMs: number, owner: string): Promise<void> {
    const moved = await tx.query(
      `UPDATE ${this.s}.projection_generations
       SET position = $4, events_applied = events_applied + $5, updated_at = now(),
           lease_until = now() + make_interval(secs => $6::double precision / 1000)
       WHERE name = $1 AND generation = $2 AND position = $3 AND lease_owner = $7 AND status <> 'retired'`,
      [target.name, target.generation, before, page.scannedTo, page.events.length, leaseMs, owner],
    );
    if (moved.rowCount !== 1) throw new LeaseLostError(`${target.name} generation ${target.generation} moved on without this runner`);
  }

  private async goLive(tx: SqlExecutor, target: GenerationRow, owner: string): Promise<void> {
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
    // Subscribers start over with the new generation: a reset, then every row (never rows with personal data).
    if (!this.projection(target.name).personalData) {
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
    for (const { table_name } of previous.rows) await tx.query(`DROP TABLE IF EXISTS ${this.s}.${table_name}`);
  }

  private async acquireLease(target: GenerationRow, leaseMs: number, owner: string): Promise<LogPosition | undefined> {
    const { rows } = await this.options.client.query<{ position: LogPosition }>(
      `UPDATE ${this.s}.projection_generations
       SET lease_owner = $3, lease_until = now() + make_interval(secs => $4::double precision / 1000)
       WHERE name = $1 AND generation = $2 AND status <> 'retired'
         AND (lease_owner IS NULL OR lease_until < now())
       RETURNING position`,
      [target.name, target.generation, owner, leaseMs],
    );
    return rows[0]?.position;
  }

  private async renewLease(target: GenerationRow, leaseMs: number, owner: string): Promise<boolean> {
    const { rowCount } = await this.options.client.query(
      `UPDATE ${this.s}.projection_generations
       SET lease_until = now() + make_interval(secs => $4::double precision / 1000)
       WHERE name = $1 AND generation = $2 AND lease_owner = $3 AND status <> 'retired'`,
      [target.name, target.generation, owner, leaseMs],
    );
    return rowCount === 1;
  }

  private async releaseLease(target: GenerationRow, owner: string): Promise<void> {
    await this.options.client
      .query(
        `UPDATE ${this.s}.projection_generations SET lease_owner = NULL, lease_until = NULL
         WHERE name = $1 AND generation = $2 AND lease_owner = $3`,
        [target.name, target.generation, owner],
      )
      .catch(() => undefined);
  }
}

function createTableSql(table: string, projection: Projection): string {
  const columns = ['key text PRIMARY KEY', 'doc jsonb NOT NULL', ...(projection.columns ?? [])];
  const indexes = (projection.indexes ?? []).map((cols, i) => {
    const name = `${table.split('.')[1]}_i${i}`;
    const gin = cols.length === 1 && cols[0]!.startsWith('USING gin');
    return `CREATE INDEX ${name} ON ${table} ${gin ? cols[0] : `(${cols.join(', ')})`};`;
  });
  return [`CREATE TABLE ${table} (${columns.join(', ')});`, ...indexes].join('\n');
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
