import { type HouseholdDocument, demoDataset } from '@doorbraak/application';
import { type LogPosition, untilVisible } from '@doorbraak/event-store';
import { Exact, Money } from '@doorbraak/kernel';
import type { ApiHarness } from './ledger-harness';


/** Per funding law: the planned scenario totals and the committed/paid amounts, computed from the document itself. */
function expectedPerLaw(document: HouseholdDocument): Record<string, Record<string, string>> {
  const totals = new Map<string, Record<string, Money>>();
  const cell = (law: string) => {
    if (!totals.has(law)) totals.set(law, Object.fromEntries(['huidig', 'dreigend', 'doorbraak', 'committed', 'paid'].map((k) => [k, Money.zero])));
    return totals.get(law)!;
  };
  const lawOfBudget = new Map(document.budgets.map((b) => [b.budgetId, b.fundingSource]));
  for (const plan of document.households.flatMap((h) => h.plans)) {
    for (const line of plan.rendement.costLines) {
      const c = cell(line.fundingSource);
      for (const scenario of ['huidig', 'dreigend', 'doorbraak'] as const) c[scenario] = c[scenario]!.plus(Money.parse(line.unitPrice).times(new Exact(line.quantities[scenario])));
    }
    for (const spend of plan.spends) {
      const c = cell(lawOfBudget.get(spend.budgetId)!);
      c['committed'] = c['committed']!.plus(Money.parse(spend.amount));
      if (spend.paidOn) c['paid'] = c['paid']!.plus(Money.parse(spend.amount));
    }
  }
  return Object.fromEntries([...totals].map(([law, c]) => [law, Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.toString()]))]));
}

const same = (a: string, b: string) => new Exact(a).equals(b);

/** The read models on the demo data: what auditors, accountants and professionals ask of them. */
export function describeReadModels(start: () => Promise<ApiHarness>): void {
  let api: ApiHarness;
  let head = '';
  const document = demoDataset();
  const davey = document.households[1]!.plans[0]!;
  // One person in several roles, so that each read model can be asked (the access matrix is specified elsewhere).
  const reader = () => api.as({ roles: ['professional', 'auditor', 'accountant', 'analyst'] });
  const get = async (url: string) => {
    const response = await api.app.inject({ method: 'GET', url, headers: { ...(await reader()), 'x-consistent-with': head } });
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    api = await start();
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: document as object, headers: await api.as({ roles: ['professional'] }) });
    expect(imported.json().summary).toEqual({ imported: 10, unchanged: 0, failed: 0 });
    // Reads wait for the import's last write: read-your-writes without sleeping.
    head = imported.json().logPosition;
  });
  afterAll(() => api.close());

  it("answers why Davey's exception was granted in one request: rule, ground, who decided under which mandate, when", async () => {
    const trail = await get(`/v1/plans/${davey.planId}/audit-trail`);
    const legitimacy = trail.entries.find((e: { type: string }) => e.type === 'LegitimiteitRecorded');
    expect(legitimacy.facts.rules).toEqual(expect.arrayContaining([expect.objectContaining({ citation: 'Participatiewet art. 41 lid 4' })]));
    expect(legitimacy.facts.exceptionGrounds).toEqual(expect.arrayContaining([expect.objectContaining({ citation: 'Participatiewet art. 18 lid 1', applies: true })]));
    const decision = trail.entries.find((e: { type: string }) => e.type === 'PlanDecided');
    expect(decision).toMatchObject({
      facts: { outcome: 'approved', decidedOn: davey.decisionFlow!.decision!.decidedOn, decisionMaker: { role: 'directeur' }, onBehalfOf: davey.decisionFlow!.decision!.onBehalfOf },
      mandate: { mandateId: davey.decisionFlow!.decision!.mandateId, role: 'directeur', inForceOnDecisionDate: true },
      globalPosition: expect.stringMatching(/^\d+$/),
      logPosition: expect.stringMatching(/^\d{20}-\d{20}$/),
      recordedAt: expect.any(String),
    });
    await api.ledger.log.waitFor(head as LogPosition);
    const withIndex = await get(`/v1/plans/${davey.planId}/audit-trail`);
    const decided = withIndex.entries.find((e: { type: string }) => e.type === 'PlanDecided');
    expect(decided).toMatchObject({ logIndex: expect.any(Number), proof: `/v1/log/events/${decided.eventId}/proof` });
    const positions = trail.entries.map((e: { logPosition: string }) => e.logPosition);
    expect([...positions].sort()).toEqual(positions);
    expect(JSON.stringify(trail)).not.toContain(davey.situatieschets.personal.narrative);
    // No free text: the plan and its doorbraak are named by labels made of the household's reference and codes.
    expect(trail.label).toBe('Plan DEMO-01');
    expect(trail.entries.find((e: { type: string }) => e.type === 'DoorbraakDefined').label).toBe(`Plan DEMO-01, doorbraak 1 — ${davey.doorbraken[0]!.interventionType}`);
    expect(JSON.stringify(trail)).not.toContain(document.households[1]!.personal.alias!);
    expect(JSON.stringify(trail)).not.toContain(davey.decisionFlow!.decision!.motivation);
  });

  it('lists plans by status, law, intervention type and regisseur, without personal data', async () => {
    const all = (await get('/v1/plans')).items;
    expect(all).toHaveLength(10);
    const onPw = (await get('/v1/plans?law=participatiewet')).items.map((p: { planId: string }) => p.planId);
    expect(onPw).toContain(davey.planId);
    const regisseur = document.households[1]!.regisseur.professionalId;
    expect((await get(`/v1/plans?regisseur=${regisseur}`)).items.map((p: { planId: string }) => p.planId)).toContain(davey.planId);
    const inkomen = (await get('/v1/plans?interventionType=inkomen')).items;
    expect(inkomen.every((p: { interventionTypes: string[] }) => p.interventionTypes.includes('inkomen'))).toBe(true);
    expect(JSON.stringify(all)).not.toContain(davey.situatieschets.personal.narrative);
    expect(JSON.stringify(all)).not.toContain(document.households[1]!.personal.alias!);
    expect(all.find((p: { planId: string }) => p.planId === davey.planId)).toMatchObject({ label: 'Plan DEMO-01', householdReference: 'DEMO-01' });
    const csv = await api.app.inject({ method: 'GET', url: '/v1/plans?format=csv', headers: { ...(await reader()), 'x-consistent-with': head } });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.trim().split('\r\n')).toHaveLength(11);
  });

  it('shows earlier decisions against the same rule, with outcome and motivation', async () => {
    const found = (await get(`/v1/comparable-exceptions?citation=${encodeURIComponent('participatiewet  art. 41 lid 4')}`)).items;
    expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ planId: davey.planId, doorbraak: `Plan DEMO-01, doorbraak 1 — ${davey.doorbraken[0]!.interventionType}`, outcome: 'approved', personal: expect.objectContaining({ motivation: davey.decisionFlow!.decision!.motivation }) })]));
  });

  it('gives a per-law table equal to a computation from the demo document, exact to the cent', async () => {
    const table = (await get('/v1/cost-tables?groupBy=law')).items as Record<string, string>[];
    const expected = expectedPerLaw(document);
    expect(table.map((r) => r['law']).sort()).toEqual(Object.keys(expected).sort());
    for (const row of table) {
      const e = expected[row['law']!]!;
      for (const k of ['huidig', 'dreigend', 'doorbraak', 'committed', 'paid']) expect([row['law'], k, same(row[k]!, e[k]!)]).toEqual([row['law'], k, true]);
      expect(same(row['directCosts']!, new Exact(e['doorbraak']!).minus(e['huidig']!).toString())).toBe(true);
      expect(same(row['realBenefit']!, new Exact(e['dreigend']!).minus(e['doorbraak']!).toString())).toBe(true);
    }
  });

  it('drills a cell down to the cost lines and spends and the events behind them', async () => {
    const sources = (await get('/v1/cost-tables/sources?law=justitie')).items;
    const detention = sources.find((s: { planId: string }) => s.planId === davey.planId);
    expect(detention).toMatchObject({ kind: 'cost-line', dreigend: '6900' });
    expect(detention.events[0]).toMatchObject({ type: 'CostLineAdded', logPosition: expect.stringMatching(/^\d{20}-\d{20}$/) });
  });

  it('tests every spend and decision against the rechtmatigheid rules, with a summary per boekjaar and criterion', async () => {
    const summary = (await get('/v1/rechtmatigheid/summary?boekjaar=2026')).items as { rule: string; criterion: string; checked: number; errors: number }[];
    expect(new Set(summary.map((r) => r.rule))).toEqual(new Set(['R-01', 'R-04', 'R-06', 'R-07', 'R-08', 'R-09', 'R-10', 'R-11', 'R-14', 'R-16', 'R-18', 'R-19']));
    expect(summary.filter((r) => ['R-01', 'R-04', 'R-06', 'R-11'].includes(r.rule)).every((r) => r.checked > 0 && r.errors === 0)).toBe(true);
    const findings = (await get('/v1/rechtmatigheid/findings?boekjaar=2026')).items as { events: { logPosition: string }[] }[];
    for (const f of findings) expect(f.events.length).toBeGreaterThan(0);
  });

  it('gives analytics without personal data: intervention use, lead time median and p90, outcomes', async () => {
    const result = await get('/v1/analytics');
    const leadTimes = document.households.flatMap((h) => h.plans).map((p) => Math.round((Date.parse(p.decisionFlow!.decision!.decidedOn) - Date.parse(p.decisionFlow!.submittedOn)) / 86_400_000)).sort((a, b) => a - b);
    expect(result.leadTimeDays).toEqual({ decided: 10, median: leadTimes[4], p90: leadTimes[8] });
    expect(result.interventionUse.reduce((n: number, u: { doorbraken: number }) => n + u.doorbraken, 0)).toBe(document.households.flatMap((h) => h.plans).flatMap((p) => p.doorbraken).length);
    expect(JSON.stringify(result)).not.toContain(document.households[1]!.personal.alias!);
  });

  it('rebuilds every projection from zero into tables identical to the live ones', async () => {
    const runtime = api.ledger.runtime;
    // The reads above wrote access log entries after the import: wait until the last event written is visible.
    const { rows } = await api.ledger.client.query<{ stream_id: string }>(`SELECT stream_id FROM ${api.ledger.schema}.events ORDER BY global_position DESC LIMIT 1`);
    const written = (await api.ledger.store.readStream(rows[0]!.stream_id)).at(-1)!.logPosition;
    await untilVisible(api.ledger.store, written);
    for (const { name } of runtime.projections) {
      const table = async () => (await api.ledger.client.query(`SELECT key, doc FROM ${await runtime.liveTable(name)} ORDER BY key`)).rows;
      await runtime.waitFor(name, written);
      const before = await table();
      const started = await runtime.rebuild(name);
      await runtime.runUntilLive(name);
      expect((await runtime.status()).find((g) => g.name === name)).toMatchObject({ generation: started.generation, status: 'live' });
      expect(await table()).toEqual(before);
    }
  });
}
