import { apiConfigSchema, createApp } from '@doorbraak/api';
import { loadConfig } from '@doorbraak/config';
import { type Ledger, openLedger } from '@doorbraak/ledger-infrastructure';
import { createLogger } from '@doorbraak/logging';
import { uniqueSchema } from '@doorbraak/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ApiHarness {
  readonly app: NestFastifyApplication;
  readonly ledger: Ledger;
  close(): Promise<void>;
}

/**
 * The API as it runs in production, against PostgreSQL when `databaseUrl` is given and otherwise on the
 * embedded store in a temporary directory. Requests go through Fastify's inject (no socket).
 */
export async function startApi(options: { databaseUrl?: string; schema?: string; runProjections?: boolean } = {}): Promise<ApiHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = loadConfig(apiConfigSchema, {
    LOG_LEVEL: 'silent',
    LEDGER_DATA_DIR: dataDir,
    LEDGER_DB_SCHEMA: options.schema ?? uniqueSchema('api'),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const logger = createLogger({ level: 'silent', name: 'e2e' });
  const ledger = await openLedger(config);
  if (options.runProjections !== false) {
    await ledger.runtime.start();
    ledger.log.start();
  }
  const app = await createApp(ledger, config, logger);
  return {
    app,
    ledger,
    async close() {
      await app.close();
      await ledger.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
