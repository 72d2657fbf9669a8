import { type ApiConfig, apiConfigSchema, createApp } from '@doorbraak/api';
import { loadConfig } from '@doorbraak/config';
import { type Ledger, issueDevelopmentToken, openLedger } from '@doorbraak/ledger-infrastructure';
import { createLogger } from '@doorbraak/logging';
import { findPostgresBinaries, startThrowawayPostgres } from '@doorbraak/testing';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { emmettAppends, singleRowInserts, storeAppends } from './append.bench';
import { type BenchConfig, benchConfigSchema } from './config';
import { apiAppends } from './http.bench';
import { type Municipality, copyRate, countEvents, importLatencies, importUntil } from './import.bench';
import { type LagFigures, catchUpLag } from './lag.bench';
import { measureLog } from './log.bench';
import type { Latencies, RateFigures } from './measure';
import { QUERIES, measureQueries } from './queries.bench';
import { rebuildAll, orderedRead } from './rebuild.bench';
import { type Result, compared, markdown, writeResults } from './report';

const SCHEMA = 'ledger';
/** Writers of the append measured at every log size. */
const SIZE_WRITERS = 8;

const say = (line: string) => void process.stdout.write(`${line}\n`);
const perSecond = (events: number, seconds: number) => events / seconds;
const latency = (f: Latencies) => `p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms`;

/** The ledger as the API runs it, with the projections and the log integrator left to the benchmark and a rate limit it never reaches. */
async function openBenchLedger(env: Record<string, string>): Promise<{ ledger: Ledger; app: NestFastifyApplication; config: ApiConfig; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const config = loadConfig(apiConfigSchema, { LOG_LEVEL: 'silent', LEDGER_DATA_DIR: dataDir, LEDGER_DB_SCHEMA: SCHEMA, LEDGER_RUN_PROJECTIONS: 'false', LEDGER_CHECKPOINT_EVERY_MINUTES: '0', LEDGER_RATE_LIMIT_PER_MINUTE: '1000000', ...env });
  const ledger = await openLedger(config);
  const app = await createApp(ledger, config, createLogger({ level: 'silent', name: 'bench' }));
  return {
    ledger,
    app,
    config,
    async close() {
      await app.close();
      await ledger.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function onPostgres(url: string, config: BenchConfig, results: Result[], storeRates: Map<number, number>): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE DATABASE emmett');
  await admin.end();
  const emmettUrl = url.replace('/postgres?', '/emmett?');

  const { ledger, app, config: ledgerConfig, close } = await openBenchLedger({ DATABASE_URL: url, LEDGER_DB_POOL_SIZE: String(Math.max(...config.BENCH_WRITERS) + 8) });
  const commands = app.get(CommandBus);
  const queries = app.get(QueryBus);
  try {
    // The append benchmarks write to a municipality of their own (gm9999), so the queried ones keep the demo's proportions.
    const [writesTo] = (await importUntil(commands, ledger.client, SCHEMA, 1, { municipality: 9998 })).municipalities;
    const next = { municipality: 0 };
    const municipalities: Municipality[] = [];
    const imported = { events: 0, seconds: 0, latenciesMs: [] as number[] };
    let appendAtSmallest = 0;
    let smallest = 0;
    const smallestLog: LogRatios = {};
    for (const [step, size] of config.BENCH_SIZES.entries()) {
      const fill = await importUntil(commands, ledger.client, SCHEMA, size, next);
      imported.events += fill.events;
      imported.seconds += fill.seconds;
      imported.latenciesMs.push(...fill.latenciesMs);
      municipalities.push(...fill.municipalities);
      await ledger.runtime.runUntilCaughtUp();
      // Statistics current and no checkpoint due from the import, as on a server that had time to settle.
      await ledger.client.exec('ANALYZE; CHECKPOINT');
      const events = await countEvents(ledger.client, SCHEMA);
      say(`${events} events (${municipalities.length} municipalities); import ${perSecond(fill.events, fill.seconds).toFixed(0)} events/s`);

      const figures = await measureQueries(queries, municipalities, config.BENCH_QUERY_SAMPLES);
      for (const name of QUERIES) {
        const f = figures[name];
        const limit = { 'audit trail': 20, 'per-law cost table': 50 }[name as string];
        results.push(
          compared(
            { section: `queries at ${events.toLocaleString('en-US')} events`, measurement: `${name} p99`, value: f.p99Ms, unit: 'ms', detail: `p50 ${f.p50Ms.toFixed(2)}, p95 ${f.p95Ms.toFixed(2)}` },
            limit && size >= 1_000_000 ? { text: `p99 < ${limit} ms at a million events`, met: (v) => v < limit } : undefined,
          ),
        );
        say(`  ${name}: p50 ${f.p50Ms.toFixed(2)} ms, p95 ${f.p95Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms`);
      }

      const atSize = await storeAppends(ledger.store, writesTo!, SIZE_WRITERS, config.BENCH_SECONDS);
      if (step === 0) {
        appendAtSmallest = atSize.perSecond;
        smallest = events;
      }
      results.push(
        compared(
          { section: 'append as the log grows', measurement: `store port, ${SIZE_WRITERS} writers, at ${events.toLocaleString('en-US')} events`, value: atSize.perSecond, unit: 'appends/s', detail: latency(atSize), reference: { name: `at ${smallest.toLocaleString('en-US')} events`, value: appendAtSmallest } },
          size >= 1_000_000 ? { text: 'within 10 % of the rate at the smallest size', met: (_v, ratio) => ratio >= 0.9 } : undefined,
        ),
      );
      say(`  append at this size: ${atSize.perSecond.toFixed(0)}/s`);

      results.push(await rebuildFigures('rebuild', ledger, { text: '≥ 1.0 × the plain ordered read', min: 1 }));
      results.push(...(await logAtSize(ledger, config, smallestLog)));

      if (step === 0) {
        const token = await issueDevelopmentToken(ledgerConfig, { sub: 'bench', municipality: writesTo!.tenant, roles: ['professional'] });
        await appendSideBySide({ url, emmettUrl, ledger, app, token }, writesTo!, config, results, storeRates);
      }
    }

    const copy = await copyRate(ledger.client, SCHEMA);
    const perImport = importLatencies(imported);
    say(`import ${perSecond(imported.events, imported.seconds).toFixed(0)} events/s, COPY ${perSecond(copy.rows, copy.seconds).toFixed(0)} rows/s; one municipality's import ${latency(perImport)}`);
    results.push(
      compared(
        { section: 'import', measurement: 'whole plans through the import use case (up to 4 municipalities at a time)', value: perSecond(imported.events, imported.seconds), unit: 'events/s', detail: `one municipality (${Math.round(imported.events / imported.latenciesMs.length)} events): ${latency(perImport)}`, reference: { name: 'COPY of the same rows into a plain table', value: perSecond(copy.rows, copy.seconds) } },
        { text: '≥ 30 % of COPY', met: (_v, ratio) => ratio >= 0.3 },
      ),
    );

    const writers = Math.max(...config.BENCH_WRITERS);
    const lag = await catchUpLag(ledger.runtime, ledger.client, SCHEMA, (committed) => storeAppends(ledger.store, writesTo!, writers, config.BENCH_SECONDS, committed));
    results.push(lagResult('live catch-up', writers, lag));
    say(`catch-up lag under ${writers} writers: p50 ${lag.p50Ms.toFixed(0)} ms, p99 ${lag.p99Ms.toFixed(0)} ms`);

  } finally {
    await close();
  }
}

/** Rebuilds every projection in one pass and reads the log plainly, in the same run, with the process's peak RSS. */
async function rebuildFigures(section: string, ledger: Ledger, target: { text: string; min: number }): Promise<Result> {
  const events = await countEvents(ledger.client, SCHEMA);
  const rebuild = await rebuildAll(ledger.runtime);
  const read = await orderedRead(ledger.client, SCHEMA);
  const peak = `peak RSS ${(rebuild.peakRssBytes / 2 ** 20).toFixed(0)} MiB`;
  say(`  rebuild ${perSecond(events, rebuild.seconds).toFixed(0)} events/s (${peak}); ordered read ${perSecond(events, read).toFixed(0)} events/s`);
  return compared(
    { section, measurement: `rebuild of all ${ledger.runtime.projections.length} projections from zero, one pass, ${events.toLocaleString('en-US')} events`, value: perSecond(events, rebuild.seconds), unit: 'events/s', detail: peak, reference: { name: 'plain ordered read of the log', value: perSecond(events, read) } },
    { text: target.text, met: (_v, ratio) => ratio >= target.min },
  );
}

function lagResult(section: string, writers: number, lag: LagFigures): Result {
  return compared(
    { section, measurement: `commit → readable in every live projection, p99, under ${writers} writers (${lag.appends.perSecond.toFixed(0)} appends/s)`, value: lag.p99Ms, unit: 'ms', detail: `p50 ${lag.p50Ms.toFixed(0)}, p95 ${lag.p95Ms.toFixed(0)}; ${lag.measured} of ${lag.committed} appends` },
    { text: 'p99 < 1 s', met: (v) => v < 1_000 && lag.measured === lag.committed },
  );
}

/** The Merkle log's rates as multiples of plain SHA-256, at the smallest size. */
interface LogRatios {
  integrate?: { events: number; ratio: number };
  verify?: { events: number; ratio: number };
}

/**
 * The Merkle log at this size: the integrator over what was added, verify over all of it, and proof latency. Each
 * rate is also compared, as a multiple of plain SHA-256, with the same at the smallest size (`smallest`, filled at
 * the first call).
 */
async function logAtSize(ledger: Ledger, config: BenchConfig, smallest: LogRatios): Promise<Result[]> {
  const log = await measureLog(ledger.log, ledger.store, ledger.client, SCHEMA, config.BENCH_QUERY_SAMPLES);
  if (!log.verified) throw new Error('the Merkle log did not verify');
  const at = log.size.toLocaleString('en-US');
  const sha = { name: 'plain SHA-256 over the same leaf bytes', value: perSecond(log.size, log.sha256Seconds) };
  const rates = { integrate: perSecond(log.integrated, log.integrateSeconds), verify: perSecond(log.size, log.verifySeconds) };
  const proof = (name: string, f: Latencies) =>
    compared(
      { section: 'Merkle log', measurement: `${name} proof p99 at ${at} events`, value: f.p99Ms, unit: 'ms', detail: `p50 ${f.p50Ms.toFixed(2)}` },
      log.size >= 1_000_000 ? { text: 'p99 < 5 ms at a million events', met: (v) => v < 5 } : undefined,
    );
  const flat = (name: keyof LogRatios) => {
    const first = (smallest[name] ??= { events: log.size, ratio: rates[name] / sha.value });
    return compared(
      { section: 'Merkle log as it grows', measurement: `${name} at ${at} events, × plain SHA-256`, value: rates[name] / sha.value, unit: '×', reference: { name: `the same at ${first.events.toLocaleString('en-US')} events`, value: first.ratio } },
      { text: 'within 15 % of the smallest size', met: (_v, ratio) => Math.abs(ratio - 1) <= 0.15 },
    );
  };
  say(`  log: integrate ${rates.integrate.toFixed(0)} events/s, verify ${rates.verify.toFixed(0)} events/s, SHA-256 ${sha.value.toFixed(0)} leaves/s`);
  say(`  proofs: inclusion ${latency(log.inclusion)}, consistency ${latency(log.consistency)}`);
  return [
    compared({ section: 'Merkle log', measurement: `integrate the ${log.integrated.toLocaleString('en-US')} events added, at ${at} events`, value: rates.integrate, unit: 'events/s', reference: sha }, { text: '≥ 0.3 × plain SHA-256', met: (_v, ratio) => ratio >= 0.3 }),
    compared({ section: 'Merkle log', measurement: `verify all ${at} events`, value: rates.verify, unit: 'events/s', reference: sha }, { text: '≥ 0.5 × plain SHA-256', met: (_v, ratio) => ratio >= 0.5 }),
    flat('integrate'),
    flat('verify'),
    proof('inclusion', log.inclusion),
    proof('consistency', log.consistency),
  ];
}

/** Appends at each concurrency: store port and HTTP API against PostgreSQL's single-row INSERT and Emmett. */
async function appendSideBySide(
  { url, emmettUrl, ledger, app, token }: { url: string; emmettUrl: string; ledger: Ledger; app: NestFastifyApplication; token: string },
  where: Municipality,
  config: BenchConfig,
  results: Result[],
  storeRates: Map<number, number>,
): Promise<void> {
  for (const writers of config.BENCH_WRITERS) {
    const insert = await singleRowInserts(url, where, writers, config.BENCH_SECONDS);
    const emmett = await emmettAppends(emmettUrl, where, writers, config.BENCH_SECONDS);
    const store = await storeAppends(ledger.store, where, writers, config.BENCH_SECONDS);
    const api = await apiAppends(app, token, where, writers, config.BENCH_SECONDS);
    storeRates.set(writers, store.perSecond);
    const section = `append, ${writers} writer${writers === 1 ? '' : 's'}`;
    const row = (measurement: string, f: RateFigures, reference: { name: string; figures: RateFigures }, target: { text: string; min: number }) =>
      compared({ section, measurement, value: f.perSecond, unit: 'appends/s', detail: latency(f), reference: { name: `${reference.name} (${latency(reference.figures)})`, value: reference.figures.perSecond } }, { text: target.text, met: (_v, ratio) => ratio >= target.min });
    const ofInsert = { text: '≥ 70 % of single-row INSERT', min: 0.7 };
    const ofEmmett = { text: '≥ 1.5 × Emmett', min: 1.5 };
    results.push(
      row('store port', store, { name: 'PostgreSQL single-row INSERT', figures: insert }, ofInsert),
      row('store port', store, { name: 'Emmett', figures: emmett }, ofEmmett),
      row('HTTP API', api, { name: 'the store port', figures: store }, { text: '≥ 50 % of the store port', min: 0.5 }),
      row('HTTP API', api, { name: 'Emmett', figures: emmett }, ofEmmett),
    );
    say(`append, ${writers} writers: INSERT ${insert.perSecond.toFixed(0)}/s, Emmett ${emmett.perSecond.toFixed(0)}/s, store ${store.perSecond.toFixed(0)}/s, API ${api.perSecond.toFixed(0)}/s`);
  }
}

/** The same append and rebuild on the embedded store (PGlite on disk). */
async function onPglite(config: BenchConfig, results: Result[], storeRates: Map<number, number>): Promise<void> {
  const { ledger, app, close } = await openBenchLedger({});
  try {
    const fill = await importUntil(app.get(CommandBus), ledger.client, SCHEMA, config.BENCH_PGLITE_EVENTS, { municipality: 0 });
    await ledger.runtime.runUntilCaughtUp();
    for (const writers of config.BENCH_WRITERS) {
      const f = await storeAppends(ledger.store, fill.municipalities[0]!, writers, config.BENCH_SECONDS);
      const onServer = storeRates.get(writers);
      results.push(compared({ section: 'embedded (PGlite)', measurement: `append, store port, ${writers} writer${writers === 1 ? '' : 's'}`, value: f.perSecond, unit: 'appends/s', detail: latency(f), ...(onServer ? { reference: { name: 'the same on PostgreSQL', value: onServer } } : {}) }));
      say(`pglite append, ${writers} writers: ${f.perSecond.toFixed(0)}/s`);
    }
    results.push(await rebuildFigures('embedded (PGlite)', ledger, { text: '≥ 0.5 × the plain ordered read', min: 0.5 }));
    const writers = Math.max(...config.BENCH_WRITERS);
    const lag = await catchUpLag(ledger.runtime, ledger.client, SCHEMA, (committed) => storeAppends(ledger.store, fill.municipalities[0]!, writers, config.BENCH_SECONDS, committed));
    results.push(lagResult('embedded (PGlite)', writers, lag));
    say(`pglite catch-up lag under ${writers} writers: p50 ${lag.p50Ms.toFixed(0)} ms, p99 ${lag.p99Ms.toFixed(0)} ms`);
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const config = loadConfig(benchConfigSchema, process.env);
  const setting = {
    BENCH_SECONDS: config.BENCH_SECONDS,
    BENCH_WRITERS: config.BENCH_WRITERS.join(','),
    BENCH_SIZES: config.BENCH_SIZES.join(','),
    BENCH_QUERY_SAMPLES: config.BENCH_QUERY_SAMPLES,
    BENCH_PGLITE_EVENTS: config.BENCH_PGLITE_EVENTS,
    cpus: cpus().length,
    node: process.version,
  };
  const results: Result[] = [];
  const storeRates = new Map<number, number>();
  const bin = findPostgresBinaries();
  if (!bin) throw new Error('the benchmark needs the PostgreSQL binaries (initdb, pg_ctl)');
  const server = startThrowawayPostgres(bin);
  try {
    await onPostgres(server.url, config, results, storeRates);
  } finally {
    server.stop();
  }
  await onPglite(config, results, storeRates);
  writeResults(config.BENCH_OUT, results, setting);
  say(`\n${markdown(results, setting)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
