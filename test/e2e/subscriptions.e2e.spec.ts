import { demoDataset } from '@doorbraak/application';
import type { LogPosition } from '@doorbraak/event-store';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiHarness, startApi } from './ledger-harness';

interface Change {
  cursor: string;
  kind: string;
  key: string | null;
}
type Subscriber = {
  subscribe(options: { baseUrl: string; projection: string; stateFile: string; headers: Record<string, string>; signal: AbortSignal; onChange: (change: Change, state: { rows: Record<string, unknown> }) => void }): Promise<{ rows: Record<string, unknown>; lastEventId: string }>;
};

describe('subscribing to a projection', () => {
  let api: ApiHarness;
  let baseUrl: string;
  let subscriber: Subscriber;
  const document = demoDataset();
  let headers: Record<string, string>;
  let professional: Record<string, string>;

  beforeAll(async () => {
    api = await startApi();
    headers = await api.as({ roles: ['analyst'] });
    professional = await api.as({ roles: ['professional'] });
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await api.app.getUrl();
    subscriber = require(join(__dirname, '../../docs/examples/projection-subscriber.cjs')) as Subscriber;
  });
  afterAll(() => api.close());

  /** Follows the feed until `done` says so, then disconnects. */
  async function follow(stateFile: string, seen: Change[], done: (state: { rows: Record<string, unknown> }) => boolean) {
    const controller = new AbortController();
    return subscriber.subscribe({
      baseUrl,
      projection: 'cost_per_law',
      stateFile,
      headers,
      signal: controller.signal,
      onChange: (change, state) => {
        seen.push(change);
        if (done(state)) controller.abort();
      },
    });
  }

  const liveRows = async () =>
    Object.fromEntries((await api.ledger.client.query<{ key: string; doc: unknown }>(`SELECT key, doc FROM ${await api.ledger.runtime.liveTable('cost_per_law')}`)).rows.map((r) => [r.key, r.doc]));

  it('resumes with its last id after a disconnect, missing nothing and applying nothing twice', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'subscriber-')), 'state.json');
    const first = { ...document, households: document.households.slice(0, 5) };
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: first as object, headers: professional });
    await api.ledger.runtime.waitFor('cost_per_law', imported.json().logPosition as LogPosition);
    const seen: Change[] = [];
    const expectedFirst = Object.keys(await liveRows()).length;
    await follow(stateFile, seen, (state) => Object.keys(state.rows).length >= expectedFirst);
    const stoppedAt = seen.length;

    const rest = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: document as object, headers: professional });
    await api.ledger.runtime.waitFor('cost_per_law', rest.json().logPosition as LogPosition);
    const expected = await liveRows();
    const state = await follow(stateFile, seen, (s) => JSON.stringify(s.rows) === JSON.stringify(expected) || Object.keys(s.rows).length >= Object.keys(expected).length);

    expect(state.rows).toEqual(expected);
    expect(seen.length).toBeGreaterThan(stoppedAt);
    const cursors = seen.map((c) => c.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect([...cursors].sort()).toEqual(cursors);
  });

  it('pages the same records with a cursor for batch consumers', async () => {
    const pages: Change[] = [];
    let after = '';
    for (;;) {
      const page = (await api.app.inject({ method: 'GET', url: `/v1/projections/cost_per_law/changes?after=${after}&limit=7`, headers })).json();
      pages.push(...page.items);
      after = page.cursor;
      if (!page.more) break;
    }
    const rows: Record<string, unknown> = {};
    for (const c of pages as (Change & { row: unknown })[]) if (c.kind === 'upsert') rows[c.key!] = c.row;
    expect(rows).toEqual(await liveRows());
  });

  it('refuses a feed of a projection that holds personal data and serves the pseudonymised analytics rows', async () => {
    const refused = await api.app.inject({ method: 'GET', url: '/v1/projections/current_plans/changes', headers });
    expect(refused.statusCode).toBe(403);
    const analytics = await api.app.inject({ method: 'GET', url: '/v1/projections/plan_analytics/changes?limit=500', headers });
    expect(analytics.statusCode).toBe(200);
    const rows = analytics.json().items.filter((c: { kind: string }) => c.kind === 'upsert').map((c: { row: object }) => c.row);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/householdId|narrative|personal|alias/);
  });
});
