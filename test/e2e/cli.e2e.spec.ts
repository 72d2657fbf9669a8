import { buildProgram, type CliContext } from '@doorbraak/cli';
import { anEvent } from '@doorbraak/event-store-contract';
import { readAllEvents } from '@doorbraak/event-store';
import { type Ledger, issueDevelopmentToken } from '@doorbraak/ledger-infrastructure';
import { demoDataset, householdDocumentSchema } from '@doorbraak/application';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiHarness, startApi } from './ledger-harness';

describe('the ledger command', () => {
  let harness: ApiHarness;
  let output: string[];
  const run = async (...args: string[]) => {
    output = [];
    // Commands close what they open; the shared ledger stays open for the next command.
    const ledger: Ledger = { ...harness.ledger, close: async () => undefined };
    const context: CliContext = { open: async () => ledger, print: (line) => output.push(line), issueToken: (claims, ttl) => issueDevelopmentToken(harness.config, claims, ttl) };
    await buildProgram(context).parseAsync(['node', 'ledger', ...args]);
    return output;
  };

  beforeAll(async () => {
    harness = await startApi();
  });
  afterAll(() => harness.close());

  it('token prints a development token the API accepts for that role and municipality', async () => {
    const [token] = await run('token', '--role', 'directeur', '--municipality', 'gm9001', '--sub', 'dir-1', '--ttl', '5m');
    const mandates = await harness.app.inject({ method: 'GET', url: '/v1/mandates', headers: { authorization: `Bearer ${token}` } });
    expect(mandates.statusCode).toBe(200);
    const budgetsWrite = await harness.app.inject({ method: 'POST', url: '/v1/budgets', payload: {}, headers: { authorization: `Bearer ${token}` } });
    expect(budgetsWrite.statusCode).toBe(403);
  });

  it('token is refused in production', async () => {
    const production = { ...harness.config, NODE_ENV: 'production' as const };
    await expect(issueDevelopmentToken(production, { sub: 'x', municipality: 'gm9001', roles: ['admin'] })).rejects.toThrow(/cannot be issued in production/);
  });

  it('migrate reports an up-to-date schema when nothing is left to apply', async () => {
    expect(await run('migrate')).toEqual(['schema is up to date']);
  });

  it('tail prints the events after a position as JSON lines', async () => {
    const first = await harness.ledger.store.append(`plan-${randomUUID()}`, [anEvent({ type: 'ProbeDrafted' })], 'no_stream');
    const second = await harness.ledger.store.append(`budget-${randomUUID()}`, [anEvent({ type: 'ProbeOpened' })], 'no_stream');
    const lines = (await run('tail', '--from', first.logPosition, '--no-follow')).map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ type: 'ProbeOpened', logPosition: second.logPosition, streamVersion: '1' })]);
    const filtered = (await run('tail', '--from', 'start', '--category', 'plan', '--no-follow')).map((l) => JSON.parse(l).type);
    expect(filtered).toEqual(['ProbeDrafted']);
  });

  it('rebuild builds a new generation of a projection and reports it live', async () => {
    const before = (await harness.ledger.runtime.status()).find((g) => g.name === 'stream_activity');
    await harness.ledger.runtime.stop();
    const lines = await run('rebuild', 'stream_activity');
    expect(lines.at(-1)).toMatch(new RegExp(`^stream_activity generation ${before!.generation + 1} is live: 2 events in`));
    const status = JSON.parse((await run('projections', '--json')).join('\n')) as { name: string }[];
    expect(status.filter((s) => s.name === 'stream_activity')).toEqual([expect.objectContaining({ generation: before!.generation + 1, status: 'live', lag: 0 })]);
  });

  it('demo loads the worked plans once, and export prints a household in the import format', async () => {
    expect((await run('demo')).at(-1)).toBe('10 imported, 0 unchanged, 0 failed');
    expect((await run('demo')).at(-1)).toBe('0 imported, 10 unchanged, 0 failed');
    const davey = demoDataset().households[1]!;
    const exported = JSON.parse((await run('export', davey.householdId, '--tenant', 'gm9001')).join('\n'));
    expect(householdDocumentSchema.parse(exported).households[0]!.plans.map((p) => p.title)).toEqual(['Doorbraakplan Davey']);
    // The operator's export is in the access log like any other.
    const accesses = await readAllEvents(harness.ledger.store, { categories: ['access'] });
    expect(accesses.filter((e) => e.metadata.actor.startsWith('cli:')).map((e) => e.data)).toEqual([
      expect.objectContaining({ action: 'export', object: { type: 'household', id: davey.householdId }, householdIds: [davey.householdId], purpose: 'privacy-administration', narrativeDisclosed: true }),
    ]);
  });

  it('report prints read models as JSON or CSV', async () => {
    const davey = demoDataset().households[1]!.plans[0]!;
    const table = (await run('report', 'cost-table', '--tenant', 'gm9001', '--format', 'csv')).join('\n').split('\r\n');
    expect(table[0]).toBe('law,huidig,dreigend,doorbraak,directCosts,realBenefit,committed,paid,reversed,sources');
    expect(table.some((line) => line.startsWith('justitie,'))).toBe(true);
    const trail = JSON.parse((await run('report', 'audit-trail', davey.planId, '--tenant', 'gm9001')).join('\n')) as { type: string }[];
    expect(trail.map((e) => e.type)).toContain('PlanDecided');
    const summary = JSON.parse((await run('report', 'rechtmatigheid-summary', '--tenant', 'gm9001', '--boekjaar', '2026')).join('\n')) as { rule: string }[];
    expect(summary.map((r) => r.rule)).toContain('R-06');
  });

  it('import refuses an invalid document, listing each bad item, and writes nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'import-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ formatVersion: 1, tenant: 'gm9001', households: [{ householdId: 'x' }] }));
    // Every committed event counts here, visible to readers yet or not.
    const count = async () => (await harness.ledger.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${harness.ledger.schema}.events`)).rows[0]!.n;
    const before = await count();
    await expect(run('import', file)).rejects.toThrow('is not a valid import document; nothing was imported');
    expect(output).toEqual(expect.arrayContaining(['invalid   #/households/0/householdId: Invalid UUID', 'invalid   #/households/0/reference: required']));
    expect(await count()).toBe(before);
  });

  it('import refuses a file that is not JSON in one line naming the file and the fault, and writes nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'import-')), 'broken.json');
    writeFileSync(file, '{"formatVersion": 1, "tenant": ');
    const count = async () => (await harness.ledger.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${harness.ledger.schema}.events`)).rows[0]!.n;
    const before = await count();
    const message = await run('import', file).then(() => '', (error: Error) => error.message);
    // One line (the CLI prints it after "ledger: " and exits 1): the file, what is wrong with it, and that nothing changed.
    expect(message).toMatch(/^\S+broken\.json is not JSON \(.+\); nothing was imported$/);
    expect(message.startsWith(file)).toBe(true);
    expect(await count()).toBe(before);
  });

  it('refuses an unknown projection, naming the known ones', async () => {
    await expect(run('rebuild', 'nope')).rejects.toThrow('unknown projection "nope"; known: stream_activity');
  });
});
