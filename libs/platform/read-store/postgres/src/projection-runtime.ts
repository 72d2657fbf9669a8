import { type EventStore, type JsonObject, pause, type LogPosition, type Projection, type ReadModels } from '@doorbraak/event-store';
import { type SqlClient, SqlError, migrate } from '@doorbraak/sql';
import { randomUUID } from 'node:crypto';
import { ChangeFeed, type ChangeRecord } from './change-feed';
import { type GenerationRow, type GenerationStatus, Generations } from './generations';
import { Leases } from './leases';
import { projectionChangesSchema, projectionRuntimeSchema } from './projection-runtime.migration';
import { type PassContext, type PersonalParts, runPass } from './shared-pass';

export { LeaseLostError } from './leases';
export type { ChangeRecord } from './change-feed';
export type { GenerationStatus } from './generations';
export type { PersonalParts } from './shared-pass';

export interface ProjectionRuntimeOptions {
  readonly store: EventStore;
  /** Where the read models live; with the PostgreSQL store this is usually the same database. */
  readonly client: SqlClient;
  readonly schema?: string;
  readonly projections: readonly Projection[];
  /** Events per page of a pass that follows the log; default 1,000. */
  readonly batchSize?: number;
  /** Events per page of a pass in which every generation is building (fewer, larger transactions); default five times `batchSize`. */
  readonly buildBatchSize?: number;
  /** A runner that has not renewed its lease for this long is presumed dead and replaced. */
  readonly leaseMs?: number;
  readonly idleMs?: number;
  /**
   * With the crypto-shredding store: `store` then reads events with their personal parts sealed, and this opens
   * them only for the projections that declare `readsPersonal`.
   */
  readonly personal?: PersonalParts;
  /** Bound on the rows kept in memory by each pass over the log (serialized size); default 64 MiB. */
  readonly cacheBytes?: number;
  readonly onError?: (error: unknown, projection: string) => void;
}

const NAME = /^[a-z][a-z0-9_]{0,40}$/;
const MiB = 1024 * 1024;

/**
 * Runs projections: one ordered read of the log feeds every generation that is building or following it; each
 * page is folded into the rows it touches, and the rows and the generation's checkpoint are committed in one
 * transaction, so a crash or a redelivery can neither lose nor double-apply an event.
 */
export class ProjectionRuntime implements ReadModels {
  readonly owner = `runner-${randomUUID()}`;
  private readonly s: string;
  private readonly byName: ReadonlyMap<string, Projection>;
  private readonly controller = new AbortController();
  /** The foreground runs in progress: `stop` ends them too, while one started after `stop` still runs. */
  private readonly foreground = new Set<AbortController>();
  private readonly running = new Set<Promise<void>>();
  private readonly commitListeners = new Set<() => void>();
  private readonly liveTables = new Map<string, string>();
  private readonly generations: Generations;
  private readonly feed: ChangeFeed;
  private readonly pass: PassContext;

  constructor(private readonly options: ProjectionRuntimeOptions) {
    this.s = options.schema ?? 'ledger';
    for (const p of options.projections) {
      if (!NAME.test(p.name)) throw new Error(`projection name ${JSON.stringify(p.name)} must be snake_case`);
    }
    this.byName = new Map(options.projections.map((p) => [p.name, p]));
    this.feed = new ChangeFeed(this.s);
    this.generations = new Generations(options.client, this.s, this.feed);
    this.pass = {
      store: options.store,
      client: options.client,
      schema: this.s,
      generations: this.generations,
      leases: new Leases(options.client, this.s, options.leaseMs ?? 5_000),
      personal: options.personal,
      batchSize: options.batchSize ?? 1_000,
      buildBatchSize: options.buildBatchSize ?? 5 * (options.batchSize ?? 1_000),
      idleMs: options.idleMs ?? 250,
      cacheBytes: options.cacheBytes ?? 64 * MiB,
      owner: this.owner,
      notify: () => this.commitListeners.forEach((notify) => notify()),
    };
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
    const task = this.supervise().finally(() => this.running.delete(task));
    this.running.add(task);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    this.foreground.forEach((run) => run.abort());
    await Promise.allSettled([...this.running]);
  }

  /**
   * Starts a fresh generation of the projection from the start of the log. The live generation keeps serving
   * until the new one has caught up and takes over.
   */
  async rebuild(name: string): Promise<GenerationStatus> {
    await this.ensureSchema();
    return this.describe(await this.generations.create(this.projection(name)));
  }

  /**
   * Runs the building generations of the named projections in the foreground, in one pass over the log, until
   * they are live (for the CLI). `progress` receives each generation's applied count and the total to go.
   */
  async runUntilLive(names: string | readonly string[], progress?: (status: GenerationStatus) => void): Promise<void> {
    await this.ensureSchema();
    const projections = (typeof names === 'string' ? [names] : names).map((name) => this.projection(name));
    for (const projection of projections) await this.ensureGeneration(projection);
    await this.inForeground(async (signal) => {
      for (;;) {
        const all = await this.generations.list();
        // The newest building generation of each projection.
        const building = projections.flatMap((projection) => all.filter((g) => g.name === projection.name && g.status === 'building').slice(-1).map((target) => ({ target, projection })));
        if (building.length === 0) return;
        const ran = await this.runInForeground(building, signal, progress);
        if (signal.aborted) return;
        // Another process holds a lease and is building it; wait for it rather than spin.
        if (ran < building.length) await pause(this.pass.idleMs, signal);
      }
    });
  }

  /**
   * Brings every projection up to the current end of the log in the foreground (for one-shot commands such as
   * reports in a process that does not run the projections).
   */
  async runUntilCaughtUp(): Promise<void> {
    await this.runUntilLive(this.options.projections.map((p) => p.name));
    const head = await this.options.store.head();
    const behind = (await this.generations.list()).filter((g) => g.status === 'live' && g.version === this.byName.get(g.name)?.version && g.position < head);
    if (behind.length > 0) await this.inForeground((signal) => this.runInForeground(behind.map((target) => ({ target, projection: this.projection(target.name) })), signal));
  }

  /** Resolves once the live generation of `name` has applied everything up to `position`. */
  async waitFor(name: string, position: LogPosition, timeoutMs = 30_000): Promise<void> {
    await this.ensureSchema();
    const { version } = this.projection(name);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = (await this.generations.list(name)).find((g) => g.status === 'live' && g.version === version);
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

  /** The table holding the live rows of a projection (qualified), for queries. */
  async liveTable(name: string): Promise<string> {
    await this.ensureSchema();
    const live = (await this.generations.list(name)).find((g) => g.status === 'live');
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
    const rows = await this.generations.list();
    return Promise.all(rows.filter((r) => this.byName.has(r.name)).map((r) => this.describe(r)));
  }

  /**
   * The change records of a projection after a cursor, oldest first, never skipping a late commit. `cursor` of
   * each record resumes after it. With `tenant`, only resets and rows whose `tenant` is that municipality.
   */
  async changes(name: string, after: LogPosition, limit: number, tenant?: string): Promise<{ changes: ChangeRecord[]; cursor: LogPosition }> {
    this.projection(name);
    await this.ensureSchema();
    return this.feed.read(this.options.client, name, after, limit, tenant);
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

  private async ensureGeneration(projection: Projection): Promise<void> {
    const current = await this.generations.list(projection.name);
    if (!current.some((g) => g.version === projection.version)) await this.generations.create(projection);
  }

  private async inForeground<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.foreground.add(controller);
    try {
      return await run(controller.signal);
    } finally {
      this.foreground.delete(controller);
    }
  }

  /** One pass to the end of the log; rejects with the first failure. Resolves to the generations it held. */
  private async runInForeground(targets: { target: GenerationRow; projection: Projection }[], signal: AbortSignal, progress?: (status: GenerationStatus) => void): Promise<number> {
    const failures: unknown[] = [];
    const ran = await runPass(this.pass, targets, {
      signal,
      untilLive: true,
      onLeave: (_target, error) => error !== undefined && failures.push(error),
      onLive: (target) => this.liveTables.delete(target.name),
      ...(progress ? { onPage: async (p) => progress(await this.describe({ ...p.target, status: p.status, position: p.position, events_applied: String(p.applied) })) } : {}),
    });
    if (failures.length > 0) throw failures[0];
    return ran;
  }

  /**
   * Runs every generation of the projections' current versions until `stop`: the live ones in one pass that
   * follows the log, the building ones in another (so a rebuild never holds back the live rows), and picks up
   * generations that another process created or let go. Older versions stay frozen until their successor
   * takes over. A generation that failed leaves its pass and is run again on its own at the next look.
   */
  private async supervise(): Promise<void> {
    const signal = this.controller.signal;
    const active = new Set<string>();
    const passes = new Set<Promise<unknown>>();
    const id = (g: GenerationRow) => `${g.name}/${g.generation}`;
    while (!signal.aborted) {
      try {
        const idle = (await this.generations.list()).filter((g) => g.version === this.byName.get(g.name)?.version && !active.has(id(g)));
        for (const status of ['live', 'building'] as const) {
          const group = idle.filter((g) => g.status === status);
          if (group.length === 0) continue;
          group.forEach((g) => active.add(id(g)));
          const run = runPass(this.pass, group.map((target) => ({ target, projection: this.projection(target.name) })), {
            signal,
            untilLive: false,
            onLeave: (target, error) => {
              active.delete(id(target));
              if (error !== undefined) this.options.onError?.(error, target.name);
            },
            onLive: (target) => this.liveTables.delete(target.name),
          }).finally(() => passes.delete(run));
          passes.add(run);
        }
      } catch (error) {
        for (const name of this.byName.keys()) this.options.onError?.(error, name);
      }
      await pause(this.pass.leases.leaseMs, signal);
    }
    await Promise.allSettled([...passes]);
  }
}
