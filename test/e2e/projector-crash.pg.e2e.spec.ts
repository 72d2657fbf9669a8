import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { demoDataset } from '@doorbraak/application';
import { START } from '@doorbraak/event-store';
import { loadConfig, ledgerConfigSchema } from '@doorbraak/config';
import { type Ledger, openLedger } from '@doorbraak/ledger-infrastructure';
import { postgresUrl, uniqueSchema } from '@doorbraak/testing';
import { startApi } from './ledger-harness';

const cli = join(__dirname, '../../dist/apps/cli/src/main.js');

/** Runs `ledger project` as a separate process, the way a projector is deployed (needs `npm run build`). */
function projector(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [cli, 'project'], { env: { ...process.env, ...env }, stdio: 'ignore' });
}

describe('a projector killed in the middle of a batch', () => {
  let ledger: Ledger;
  const schema = uniqueSchema('crash');
  // The API, the projector process and this test open one ledger: one database schema and one master key.
  const env = { DATABASE_URL: postgresUrl(), LEDGER_DB_SCHEMA: schema, LOG_LEVEL: 'silent', LEDGER_MASTER_KEY: randomBytes(32).toString('base64') };

  beforeAll(async () => {
    // Write the demo with projections off, so that the projector process does all the projecting.
    const api = await startApi({ databaseUrl: postgresUrl(), schema, runProjections: false, env: { LEDGER_MASTER_KEY: env.LEDGER_MASTER_KEY } });
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demoDataset() as object, headers: await api.as({ roles: ['professional'] }) });
    expect(imported.json().summary.imported).toBe(10);
    await api.close();
    ledger = await openLedger(loadConfig(ledgerConfigSchema, env));
  });
  afterAll(() => ledger.close());

  it('resumes from its last committed checkpoint and ends with the rows of a build from zero', async () => {
    const total = await ledger.store.countAfter(START);
    // Small batches, so that there are many commits to die between.
    const child = projector({ ...env, LEDGER_PROJECTION_BATCH_SIZE: '3' });
    // Kill it once it has committed some batches but not all: a hard kill, mid-flight. This polls the
    // checkpoint the projector commits, with a deadline; it never sleeps a fixed time.
    const deadline = Date.now() + 60_000;
    while (((await ledger.runtime.status()).find((g) => g.name === 'current_plans')?.eventsApplied ?? 0) === 0) {
      if (Date.now() > deadline) throw new Error('the projector applied nothing within a minute');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const halfway = (await ledger.runtime.status()).find((g) => g.name === 'current_plans')!;
    expect(halfway.eventsApplied).toBeLessThan(total);

    await ledger.runtime.runUntilCaughtUp();
    const snapshot = async () => {
      const tables: Record<string, unknown[]> = {};
      for (const { name } of ledger.runtime.projections) tables[name] = (await ledger.client.query(`SELECT key, doc FROM ${await ledger.runtime.liveTable(name)} ORDER BY key`)).rows;
      return tables;
    };
    const resumed = await snapshot();
    for (const { name } of ledger.runtime.projections) {
      await ledger.runtime.rebuild(name);
      await ledger.runtime.runUntilLive(name);
    }
    expect(await snapshot()).toEqual(resumed);
  });
});
