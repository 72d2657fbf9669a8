import { type HouseholdDocument, demoDataset } from '@doorbraak/application';
import { parseLedgerEvent, recordedSteps, writtenData } from '@doorbraak/domain';
import { type LogPosition, readAllEvents } from '@doorbraak/event-store';
import type { Ledger } from '@doorbraak/ledger-infrastructure';
import { leafBytes } from '@doorbraak/merkle-log';
import { freeTextIn, freeTextPaths, householdTexts, withAlias } from './free-text';
import type { ApiHarness } from './ledger-harness';

/**
 * Erasure by crypto-shredding, end to end: after a household is erased, no plaintext of its personal data is in
 * a dump of the database, in any export or in the logs, while its money, decisions and every proof stand.
 */
export function describeErasure(start: (logs: string[]) => Promise<ApiHarness>, dump: (ledger: Ledger) => Promise<string>): void {
  let api: ApiHarness;
  const logs: string[] = [];
  // Davey, under an alias no other text holds by chance, written into every free-text field the API accepts.
  const alias = 'Davey Kwartelkoning';
  const original = demoDataset();
  const davey = original.households[1]!;
  const erased: HouseholdDocument['households'][number] = { ...davey, personal: { ...davey.personal, alias }, plans: withAlias(davey.plans, alias) };
  erased.plans[0]!.decisionFlow!.decision!.conditions = [`${alias} reports the study start`];
  erased.plans[0]!.rendement.costLines = erased.plans[0]!.rendement.costLines.map((l) => ({ ...l, priceListVersion: l.priceListVersion ?? `${alias} 2026` }));
  const demo: HouseholdDocument = { ...original, households: original.households.map((h) => (h.householdId === davey.householdId ? erased : h)) };
  const kept = demo.households[0]!;
  /** The free text of the household's events as stored before the erasure, path by path. */
  const written: [string, string][] = [];
  let printedBefore: unknown;
  // Short texts ("D.") also occur by chance in other data; longer ones are what a reader could recognise.
  const secrets = [...new Set(householdTexts(erased))].filter((t) => t.length >= 12);
  const keptSecret = householdTexts(kept.plans).find((t) => t.length >= 12)!;
  let erasure: { logPosition: LogPosition };

  beforeAll(async () => {
    api = await start(logs);
    const professional = await api.as({ roles: ['professional'] });
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demo as object, headers: professional });
    expect(imported.json().summary).toMatchObject({ imported: demo.households.flatMap((h) => h.plans).length, failed: 0 });
    const plan = erased.plans[0]!;
    await writeFreeTextTheImportHasNot(plan, await api.as({ roles: ['professional', 'admin'] }));
    // Reads and an export before the erasure leave their traces in the access log (and must not in the logs).
    const read = await api.app.inject({ method: 'GET', url: `/v1/plans/${plan.planId}`, headers: professional });
    expect(read.statusCode).toBe(200);
    printedBefore = read.json().rendement.printed;
    expect((await api.app.inject({ method: 'GET', url: `/v1/households/${erased.householdId}/export`, headers: professional })).body).toContain(secrets[0]);
    const closed = await api.app.inject({ method: 'POST', url: `/v1/households/${erased.householdId}/closure`, payload: { closedOn: '2046-01-02', reason: `${alias}: retention period of the case file ended` }, headers: professional });
    expect(closed.statusCode).toBe(201);
    for (const event of (await readAllEvents(api.ledger.store)).filter((e) => e.metadata.subject === erased.householdId)) {
      const { type, data } = parseLedgerEvent(event.type, event.schemaVersion, event.data);
      written.push(...freeTextIn(type, (data as { personal?: unknown }).personal));
    }
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
  }, 240_000);
  afterAll(() => api.close());

  /** What the import cannot carry: corrections, withdrawals, a reversal, a result, replaced and closed plan versions. */
  async function writeFreeTextTheImportHasNot(plan: HouseholdDocument['households'][number]['plans'][number], headers: { authorization: string }) {
    const post = async (url: string, payload: object) => {
      const response = await api.app.inject({ method: 'POST', url, payload, headers });
      expect({ url, status: response.statusCode, body: response.statusCode === 201 ? '' : response.body }).toEqual({ url, status: 201, body: '' });
      return response.json();
    };
    const householdUrl = `/v1/households/${erased.householdId}`;
    await post(`${householdUrl}/regie-assignments`, { professionalId: 'prof-regisseur-2', role: 'regisseur', assignedOn: '2026-04-01', reason: `${alias} asked for another regisseur` });
    // Every recorded step corrected with a reason, as it was written (read from the store, not the API: the
    // reads the data subject is told of come later).
    for (const stored of await api.ledger.store.readStream(`plan-${plan.planId}`)) {
      // A step's API path ends in its name.
      const step = recordedSteps[stored.type];
      if (!step) continue;
      const { planId: _p, recordId, doorbraakId, ...content } = writtenData(parseLedgerEvent(stored.type, stored.schemaVersion, stored.data));
      await post(`/v1/plans/${plan.planId}/${doorbraakId ? `doorbraken/${String(doorbraakId)}/` : ''}${step}`, { ...content, correction: { corrects: recordId, reason: `${alias} gave another date` } });
    }
    const { spendId, budgetId } = plan.spends[0]!;
    await post(`/v1/budgets/${budgetId}/spends/${spendId}/reversals`, { amount: '1.00', reversedOn: '2026-03-01', reason: `${alias} returned a euro` });
    const moment = plan.evaluations!.moments[1]!;
    await post(`/v1/plans/${plan.planId}/evaluations/${moment.evaluationId}/results`, { evaluatedOn: '2026-06-04', outcome: 'on_track', indicators: [{ name: `${alias} started the course`, met: true, value: `${alias} attends` }] });
    // A second version is replaced by a third; the third gets a doorbraak, an opinion and a cost line that is
    // corrected and withdrawn, and is closed with a note.
    const second = (await post('/v1/plans', { householdId: erased.householdId, title: `${alias}: second plan`, draftedOn: '2026-07-01', planVersion: 2 })).planId as string;
    const third = (await post('/v1/plans', { householdId: erased.householdId, title: `${alias}: third plan`, draftedOn: '2026-07-02', planVersion: 3 })).planId as string;
    await post(`/v1/plans/${second}/replacement`, { replacedOn: '2026-07-02', byPlanId: third, reason: `${alias} moved` });
    const doorbraakId = (await post(`/v1/plans/${third}/doorbraken`, { title: `${alias} needs a room`, interventionType: 'huisvesting', targetGroup: 'jongeren-18-27' })).doorbraakId as string;
    await post(`/v1/plans/${third}/doorbraken/${doorbraakId}/opinions`, { professionalId: 'prof-2', role: 'woonconsulent', organisation: `${alias}'s landlord`, position: 'supports', personal: { motivation: `${alias} pays rent` } });
    const line = { description: `${alias}'s room`, unit: 'maand', unitPrice: '400.00', quantities: { huidig: '0', dreigend: '0', doorbraak: '1' }, fundingSource: 'wmo', priceSource: `${alias}'s landlord`, priceListVersion: `${alias} 2026` };
    const costLineId = (await post(`/v1/plans/${third}/cost-lines`, line)).costLineId as string;
    await post(`/v1/plans/${third}/cost-lines/${costLineId}/corrections`, { ...line, unitPrice: '410.00', reason: `${alias} found a cheaper room` });
    await post(`/v1/plans/${third}/cost-lines/${costLineId}/withdrawal`, { reason: `${alias} stays home` });
    await post(`/v1/plans/${third}/closure`, { closedOn: '2026-08-01', reason: 'withdrawn', note: `${alias} withdrew` });
  }

  it('knows what to look for', () => {
    expect(secrets.length).toBeGreaterThan(5);
  });

  it('wrote the alias into every free-text field of every event type before the erasure, sealed under personal', () => {
    const covered = new Set(written.map(([path]) => path));
    expect(freeTextPaths.filter((path) => !covered.has(path))).toEqual([]);
    expect(written.filter(([, text]) => !text.includes(alias))).toEqual([]);
  });

  it('finds the alias nowhere after the erasure: database, exports, logs, change feeds and Merkle leaves', async () => {
    expect(await dump(api.ledger)).not.toContain(alias);
    const headers = await api.as({ roles: ['professional', 'auditor', 'accountant', 'analyst'], grants: ['narrative'] });
    const get = async (url: string) => (await api.app.inject({ method: 'GET', url, headers: { ...headers, 'x-consistent-with': erasure.logPosition } })).body;
    for (const plan of erased.plans) expect(await get(`/v1/plans/${plan.planId}`)).not.toContain(alias);
    expect(await get(`/v1/households/${erased.householdId}/export`)).not.toContain(alias);
    expect(await get(`/v1/plans/${erased.plans[0]!.planId}/audit-trail`)).not.toContain(alias);
    expect(logs.join('\n')).not.toContain(alias);
    for (const projection of api.ledger.runtime.projections.filter((p) => !p.personalData)) {
      let after = '';
      for (let more = true; more; ) {
        const page = JSON.parse(await get(`/v1/projections/${projection.name}/changes?limit=500${after ? `&after=${after}` : ''}`)) as { items: unknown[]; cursor: string; more: boolean };
        expect(JSON.stringify(page.items)).not.toContain(alias);
        ({ cursor: after, more } = page);
      }
    }
    const { rows } = await api.ledger.client.query<{ event_id: string; log_index: string; personal_commitment: string | null }>(`SELECT event_id::text, log_index::text, personal_commitment FROM ${api.ledger.schema}.log_entries`);
    const events = new Map((await readAllEvents(api.ledger.store)).map((e) => [e.eventId, e]));
    const leaves = rows.map((r) => leafBytes(events.get(r.event_id)!, Number(r.log_index), r.personal_commitment).toString('utf8'));
    expect(leaves.length).toBeGreaterThan(written.length);
    expect(leaves.filter((leaf) => leaf.includes(alias))).toEqual([]);
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
    expect(plan.rendement.printed).toEqual(printedBefore);
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
    await api.cli('checkpoint', '--reason', 'after erasure');
    expect((await api.cli('verify')).at(-1)).toMatch(/^ok: \d+ log entries; the latest checkpoint \(size \d+\) verifies(; \d+ newer events are not in the log yet \(not checked\))?$/);
  });

  it('records the erasure without personal data, and answers the data subject when and why their data was consulted', async () => {
    const [erasedEvent] = (await api.ledger.store.readStream(`household-${erased.householdId}`)).filter((e) => e.type === 'HouseholdDataErased');
    expect(erasedEvent!.data).toEqual({ householdId: erased.householdId, erasedOn: '2046-01-03', basis: 'retention-period-ended', selectielijstCategory: '1.1.56', planIds: expect.arrayContaining(erased.plans.map((p) => p.planId)) });
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
