import { PostgresEventStore } from '@doorbraak/event-store-postgres';
import { connectPostgres, openPglite } from '@doorbraak/sql';
import { findPostgresBinaries, startThrowawayPostgres } from '@doorbraak/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppendFigures, measureAppends } from './append.bench';
import { fillLog, measureLog } from './log.bench';
import { MerkleLog } from '@doorbraak/merkle-log';
import { generateSigningKey } from '@doorbraak/merkle';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const WRITERS = [1, 16];

const LOG_EVENTS = Number(process.env['BENCH_LOG_EVENTS'] ?? 0);

async function main(): Promise<void> {
  const rows: (AppendFigures & { adapter: string })[] = [];

  const bin = findPostgresBinaries();
  if (!bin) throw new Error('the benchmark needs the PostgreSQL binaries (initdb, pg_ctl)');
  const server = startThrowawayPostgres(bin);
  try {
    for (const writers of WRITERS) {
      const store = new PostgresEventStore({ client: connectPostgres({ connectionString: server.url, maxConnections: writers }), schema: `bench_${writers}` });
      await store.migrate();
      rows.push({ adapter: 'postgres', ...(await measureAppends(store, writers, SECONDS)) });
      await store.close();
    }
    if (LOG_EVENTS > 0) {
      const client = connectPostgres({ connectionString: server.url, maxConnections: 4 });
      const store = new PostgresEventStore({ client, schema: 'bench_log' });
      await store.migrate();
      const log = new MerkleLog({ store, client, schema: 'bench_log', origin: 'bench/log', signer: generateSigningKey('bench/log'), batchSize: 5_000 });
      await log.migrate();
      const t0 = performance.now();
      await fillLog(store, LOG_EVENTS);
      process.stdout.write(`filled ${LOG_EVENTS} events in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      const figures = await measureLog(log, LOG_EVENTS);
      process.stdout.write(`| log of ${LOG_EVENTS} events | integrator ${figures.integratePerSecond.toFixed(0)} events/s | verify ${figures.verifyPerSecond.toFixed(0)} events/s | ${figures.ok ? 'verified' : 'NOT VERIFIED'} |\n`);
      await store.close();
    }
  } finally {
    server.stop();
  }

  for (const writers of WRITERS) {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-pglite-'));
    const store = new PostgresEventStore({ client: await openPglite(dir), schema: 'ledger' });
    await store.migrate();
    rows.push({ adapter: 'pglite (on disk)', ...(await measureAppends(store, writers, SECONDS)) });
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }

  process.stdout.write('| adapter | writers | appends/s | p50 ms | p99 ms | appends |\n|---|---:|---:|---:|---:|---:|\n');
  for (const r of rows) {
    process.stdout.write(`| ${r.adapter} | ${r.writers} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.appends} |\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
