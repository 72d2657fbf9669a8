import { type ApiConfig, apiConfigSchema, createApp } from '@doorbraak/api';
import { buildProgram, type CliContext } from '@doorbraak/cli';
import { loadConfig } from '@doorbraak/config';
import type { Role } from '@doorbraak/application';
import { type Ledger, issueDevelopmentToken, openLedger } from '@doorbraak/ledger-infrastructure';
import { createLogger } from '@doorbraak/logging';
import { uniqueSchema } from '@doorbraak/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Caller {
  readonly roles: readonly Role[];
  readonly municipality?: string;
  readonly sub?: string;
  readonly namens?: string;
  readonly grants?: readonly 'narrative'[];
}

export interface ApiHarness {
  readonly app: NestFastifyApplication;
  readonly ledger: Ledger;
  readonly config: ApiConfig;
  /** Authorization header of a development token for this caller (municipality gm9001 unless given). */
  as(caller: Caller): Promise<{ authorization: string }>;
  /** Runs a `ledger` command in this process against this ledger (which stays open); resolves to the lines printed. */
  cli(...args: string[]): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The API as it runs in production, against PostgreSQL when `databaseUrl` is given and otherwise on the
 * embedded store in a temporary directory. Requests go through Fastify's inject (no socket).
 */
export async function startApi(
  options: { databaseUrl?: string; schema?: string; runProjections?: boolean; env?: Record<string, string>; /** Collects the API's log lines (level info). */ logs?: string[] } = {},
): Promise<ApiHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadConfig(apiConfigSchema, {
    LOG_LEVEL: 'silent',
    LEDGER_DATA_DIR: dataDir,
    LEDGER_DB_SCHEMA: options.schema ?? uniqueSchema('api'),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  });
  const logs = options.logs;
  const logger = logs ? createLogger({ level: 'info', name: 'e2e' }, { write: (line: string) => void logs.push(line) }) : createLogger({ level: 'silent', name: 'e2e' });
  const ledger = await openLedger(config);
  if (options.runProjections !== false) {
    await ledger.runtime.start();
    ledger.log.start();
  }
  const app = await createApp(ledger, config, logger);
  const tokens = new Map<string, string>();
  return {
    app,
    ledger,
    config,
    async as(caller) {
      const claims = { sub: caller.sub ?? `${caller.roles[0]}-1`, municipality: caller.municipality ?? 'gm9001', roles: caller.roles, ...(caller.namens ? { namens: caller.namens } : {}), ...(caller.grants ? { grants: caller.grants } : {}) };
      const cacheKey = JSON.stringify(claims);
      if (!tokens.has(cacheKey)) tokens.set(cacheKey, await issueDevelopmentToken(config, claims, '1h'));
      return { authorization: `Bearer ${tokens.get(cacheKey)}` };
    },
    async cli(...args) {
      const output: string[] = [];
      const open: Ledger = { ...ledger, close: async () => undefined };
      const context: CliContext = { open: async () => open, print: (line) => output.push(line), issueToken: (claims, ttl) => issueDevelopmentToken(config, claims, ttl) };
      await buildProgram(context).parseAsync(['node', 'ledger', ...args]);
      return output;
    },
    async close() {
      await app.close();
      await ledger.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
