import { type HouseholdDocument, ImportHouseholds, type ImportResult } from '@doorbraak/application';
import type { SqlClient } from '@doorbraak/sql';
import type { CommandBus } from '@nestjs/cqrs';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { syntheticMunicipality } from './dataset';
import { type Latencies, percentiles, timed } from './measure';

/** Municipalities imported at the same time at most (each its own tenant, so they never touch the same stream). */
const CONCURRENT_IMPORTS = 4;

export interface Imported {
  readonly events: number;
  readonly seconds: number;
  /** Each municipality's import, from the command to its result, in ms. */
  readonly latenciesMs: readonly number[];
  /** The imported municipalities, to query and write to. */
  readonly municipalities: readonly Municipality[];
}

export interface Municipality {
  readonly tenant: string;
  readonly householdId: string;
  readonly planIds: readonly string[];
}

function summary(document: HouseholdDocument): Municipality {
  return { tenant: document.tenant, householdId: document.households[0]!.householdId, planIds: document.households.flatMap((h) => h.plans.map((p) => p.planId)) };
}

export async function countEvents(client: SqlClient, schema: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.events`);
  return Number(rows[0]!.n);
}

/**
 * Imports whole municipalities through the import use case until the store holds at least `target` events.
 * `next` numbers the municipalities across calls.
 */
export async function importUntil(commands: CommandBus, client: SqlClient, schema: string, target: number, next: { municipality: number }): Promise<Imported> {
  const before = await countEvents(client, schema);
  const municipalities: Municipality[] = [];
  const latenciesMs: number[] = [];
  let seconds = 0;
  let total = before;
  while (total < target) {
    // Near the target, fewer at a time, so the log overshoots by one municipality at most.
    const perMunicipality = municipalities.length ? (total - before) / municipalities.length : 2_000;
    const count = Math.max(1, Math.min(CONCURRENT_IMPORTS, Math.floor((target - total) / perMunicipality)));
    // The documents are made before the clock starts: the import is timed, not the benchmark's dataset.
    const batch = Array.from({ length: count }, () => syntheticMunicipality(++next.municipality));
    const started = performance.now();
    const results = await Promise.all(
      batch.map(async (document) => {
        const result = await commands.execute(new ImportHouseholds(document, { actor: 'bench-import', tenant: document.tenant, correlationId: randomUUID() }));
        latenciesMs.push(performance.now() - started);
        return result;
      }),
    );
    seconds += (performance.now() - started) / 1000;
    results.forEach(assertImported);
    municipalities.push(...batch.map(summary));
    total = await countEvents(client, schema);
  }
  return { events: total - before, seconds, latenciesMs, municipalities };
}

/** Latency percentiles of the imports of whole municipalities. */
export const importLatencies = (imported: Pick<Imported, 'latenciesMs'>): Latencies => percentiles([...imported.latenciesMs]);

function assertImported(result: ImportResult): void {
  const failed = result.households.flatMap((h) => [...h.errors, ...h.plans.flatMap((p) => p.errors)]);
  if (failed.length > 0) throw new Error(`the import of ${result.tenant} failed: ${JSON.stringify(failed.slice(0, 3))}`);
}

/**
 * PostgreSQL's own bulk load of the same rows: every stored event written to a file by the server, then timed
 * `COPY … FROM` that file into a plain table (no keys, no indexes). Returns rows per second.
 */
export async function copyRate(client: SqlClient, schema: string): Promise<{ rows: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-copy-'));
  chmodSync(dir, 0o777);
  const file = join(dir, 'events.copy');
  try {
    await client.query(`COPY ${schema}.events TO '${file}'`);
    await client.query(`DROP TABLE IF EXISTS ${schema}.bench_copy`);
    await client.query(`CREATE TABLE ${schema}.bench_copy AS SELECT * FROM ${schema}.events WITH NO DATA`);
    const { seconds, result } = await timed(() => client.query(`COPY ${schema}.bench_copy FROM '${file}'`));
    await client.query(`DROP TABLE ${schema}.bench_copy`);
    return { rows: result.rowCount, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
