import { buildProgram, type CliContext } from '@doorbraak/cli';
import { demoDataset } from '@doorbraak/application';
import type { LogPosition } from '@doorbraak/event-store';
import { type Ledger, issueDevelopmentToken } from '@doorbraak/ledger-infrastructure';
import type { ApiHarness } from './ledger-harness';

/** Every text under a `personal` key, at any depth: what must be gone once the household is erased. */
function personalTexts(value: unknown, inside = false): string[] {
  if (typeof value === 'string') return inside ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => personalTexts(v, inside));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => personalTexts(v, inside || k === 'personal'));
}

/**
 * Erasure by crypto-shredding, end to end: after a household is erased, no plaintext of its personal data is in
 * a dump of the database, in any export or in the logs, while its money, decisions and every proof stand.
 */
export function describeErasure(start: (logs: string[]) => Promise<ApiHarness>, dump: (ledger: Ledger) => Promise<string>): void {
  let api: ApiHarness;
  const logs: string[] = [];
  const demo = demoDataset();
  const erased = demo.households[1]!; // Davey
  const kept = demo.households[0]!;
  // Short texts ("D.") also occur by chance in other data; longer ones are what a reader could recognise.
  const secrets = [...new Set(personalTexts(erased))].filter((t) => t.length >= 12);
  const keptSecret = personalTexts(kept.plans).find((t) => t.length >= 12)!;
  let erasure: { logPosition: LogPosition };

  beforeAll(async () => {
    api = await start(logs);
    const professional = await api.as({ roles: ['professional'] });
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demo as object, headers: professional });
    expect(imported.json().summary).toMatchObject({ imported: demo.households.flatMap((h) => h.plans).length, failed: 0 });
    const plan = erased.plans[0]!;
    // Reads and an export before the erasure leave their traces in the access log (and must not in the logs).
    expect((await api.app.inject({ method: 'GET', url: `/v1/plans/${plan.planId}`, headers: professional })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: `/v1/households/${erased.householdId}/export`, headers: professional })).body).toContain(secrets[0]);
    await api.app.inject({ method: 'POST', url: `/v1/households/${erased.householdId}/closure`, payload: { closedOn: '2046-01-02', reason: 'retention period of the case file ended' }, headers: professional });
    const response = await api.app.inject({
      method: 'POST',
      url: `/v1/households/${erased.householdId}/erasure`,
      payload: { erasedOn: '2046-01-03', basis: 'retention-period-ended', selectielijstCategory: '1.1.56' },
      headers: await api.as({ roles: ['admin'] }),
    });
    expect(response.statusCode).toBe(201);
    erasure = response.json();
    for (const projection of api.ledger.runtime.projections) await api.ledger.runtime.waitFor(projection.name, erasure.logPosition);
    await api.ledger.log.waitFor(erasure.logPosition);
  });
  afterAll(() => api.close());

  it('knows what to look for', () => {
    expect(secrets.length).toBeGreaterThan(5);
  });

  it('leaves no plaintext of the household in a dump of the database, while another household still reads', async () => {
    const database = await dump(api.ledger);
    expect(secrets.filter((s) => database.includes(s))).toEqual([]);
    // The search can find: a household that was not erased is still in its read model.
    expect(database).toContain(keptSecret);
  });

  it('shows the narrative as erased in the plan, the household and its export, with the money and decision intact', async () => {
    const headers = await api.as({ roles: ['professional'] });
    const plan = (await api.app.inject({ method: 'GET', url: `/v1/plans/${erased.plans[0]!.planId}`, headers })).json();
    expect(plan.steps.situatieschets.current.personal).toEqual({ erased: true });
    expect(plan.rendement.printed).toEqual({ huidig: '3157', dreigend: '10057', doorbraak: '4209', directCosts: '1052', realBenefit: '5848' });
    expect(plan.decision).toMatchObject({ outcome: 'approved' });
    const household = (await api.app.inject({ method: 'GET', url: `/v1/households/${erased.householdId}`, headers })).json();
    expect(household).toMatchObject({ status: 'erased', personal: { erased: true } });
    const exported = (await api.app.inject({ method: 'GET', url: `/v1/households/${erased.householdId}/export`, headers })).body;
    expect(secrets.filter((s) => exported.includes(s))).toEqual([]);
    expect(exported).toContain('"erased":true');
    const list = await api.app.inject({ method: 'GET', url: '/v1/plans?format=csv', headers: { ...headers, 'x-consistent-with': erasure.logPosition } });
    expect(secrets.filter((s) => list.body.includes(s))).toEqual([]);
  });

  it('refuses new personal data for the erased household', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: `/v1/plans/${erased.plans[0]!.planId}/evaluations/${erased.plans[0]!.evaluations!.moments[0]!.evaluationId}/results`,
      payload: { evaluatedOn: '2046-02-01', outcome: 'on_track', indicators: [], personal: { notes: 'a new note about the family after erasure' } },
      headers: await api.as({ roles: ['professional'] }),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'PERSONAL_DATA.ERASED' });
  });

  it('keeps every proof valid: ledger verify passes and a new checkpoint extends the old one', async () => {
    const output: string[] = [];
    const ledger: Ledger = { ...api.ledger, close: async () => undefined };
    const context: CliContext = { open: async () => ledger, print: (line) => output.push(line), issueToken: (claims, ttl) => issueDevelopmentToken(api.config, claims, ttl) };
    await buildProgram(context).parseAsync(['node', 'ledger', 'checkpoint', '--reason', 'after erasure']);
    await buildProgram(context).parseAsync(['node', 'ledger', 'verify']);
    expect(output.at(-1)).toMatch(/^ok: \d+ log entries; the latest checkpoint \(size \d+\) verifies(; \d+ newer events are not in the log yet \(not checked\))?$/);
  });

  it('records the erasure without personal data, and answers the data subject when and why their data was consulted', async () => {
    const [erasedEvent] = (await api.ledger.store.readStream(`household-${erased.householdId}`)).filter((e) => e.type === 'HouseholdDataErased');
    expect(erasedEvent!.data).toEqual({ householdId: erased.householdId, erasedOn: '2046-01-03', basis: 'retention-period-ended', selectielijstCategory: '1.1.56', planIds: erased.plans.map((p) => p.planId) });
    const answer = (await api.app.inject({ method: 'GET', url: `/v1/households/${erased.householdId}/access-log`, headers: { ...(await api.as({ roles: ['admin'] })), 'x-consistent-with': erasure.logPosition } })).json();
    // Dates and purposes, not who (CJEU C-579/21): the plan read and the export before the erasure come first.
    expect(answer.accesses.slice(0, 2)).toEqual([
      { at: expect.any(String), action: 'read', purpose: 'doorbraak-casework' },
      { at: expect.any(String), action: 'export', purpose: 'doorbraak-casework' },
    ]);
    for (const access of answer.accesses) expect(Object.keys(access).sort()).toEqual(['action', 'at', 'purpose']);
    expect(JSON.stringify(answer)).not.toContain('professional-1');
  });

  it('writes no personal data and no token into the logs', () => {
    const all = logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(secrets.filter((s) => all.includes(s))).toEqual([]);
    expect(all).not.toMatch(/Bearer |eyJ[A-Za-z0-9_-]{10,}\./);
  });
}
