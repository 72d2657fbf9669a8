import { demoDataset } from '@doorbraak/application';
import { randomUUID } from 'node:crypto';
import type { ApiHarness, Caller } from './ledger-harness';

const professional: Caller = { roles: ['professional'], sub: 'prof-1' };
const admin: Caller = { roles: ['admin'] };
const ON_BEHALF_OF = 'college van burgemeester en wethouders van Demodorp';

/** The plan lifecycle over HTTP, and every refusal the ledger promises, with proof that nothing was written. */
export function describePlansApi(start: () => Promise<ApiHarness>): void {
  let api: ApiHarness;
  const davey = demoDataset().households[1]!.plans[0]!;
  const ids = { teamleider: randomUUID(), directeur: randomUUID(), budget: randomUUID(), household: randomUUID(), plan: randomUUID(), other: randomUUID() };
  let doorbraakId = '';
  let decisionId = '';

  const headers = async (extra: Record<string, string> = {}, caller: Caller = professional) => ({ ...(await api.as(caller)), ...extra });
  const post = async (url: string, payload: unknown, extra: Record<string, string> = {}, caller: Caller = professional) => {
    const response = await api.app.inject({ method: 'POST', url, payload: payload as object, headers: await headers(extra, caller) });
    return { status: response.statusCode, body: response.json(), etag: response.headers['etag'] as string | undefined };
  };
  /** Runs a request that must be refused and asserts that nothing carries its correlation id in the store. */
  const refused = async (request: (correlation: Record<string, string>) => Promise<{ status: number; body: Record<string, unknown> }>) => {
    const correlationId = `refused-${randomUUID()}`;
    const response = await request({ 'x-correlation-id': correlationId });
    const { rows } = await api.ledger.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${api.ledger.schema}.events WHERE metadata->>'correlationId' = $1`, [correlationId]);
    expect(rows[0]!.n).toBe('0');
    return response;
  };

  beforeAll(async () => {
    api = await start();
    const mandate = { onBehalfOf: ON_BEHALF_OF, decisionKinds: ['doorbraak', 'spend'], fundingSources: ['participatiewet', 'bijzondere-bijstand'], validFrom: '2026-01-01' };
    expect((await post('/v1/mandates', { ...mandate, mandateId: ids.teamleider, role: 'teamleider', maxPerSpend: '500', maxPerPlan: '1000' }, {}, admin)).status).toBe(201);
    expect((await post('/v1/mandates', { ...mandate, mandateId: ids.directeur, role: 'directeur', maxPerSpend: '5000', maxPerPlan: '25000' }, {}, admin)).status).toBe(201);
    const budget = { budgetId: ids.budget, name: 'Doorbraakbudget 2026', fundingSource: 'doorbraakbudget', boekjaar: 2026, authorisedAmount: '2000.00', iv3Taakveld: '6.23', holder: 'directeur sociaal domein' };
    expect((await post('/v1/budgets', budget, {}, admin)).status).toBe(201);
    const household = { householdId: ids.household, reference: 'E2E-1', openedOn: '2026-02-01', regisseur: { professionalId: 'prof-1', role: 'jongerencoach' }, personal: { alias: 'D.' } };
    expect((await post('/v1/households', household)).status).toBe(201);
  });
  afterAll(() => api.close());

  describe('a plan from draft to spend', () => {
    it('is drafted and written step by step, each step answering with the new version', async () => {
      const drafted = await post('/v1/plans', { planId: ids.plan, householdId: ids.household, title: 'Doorbraakplan', draftedOn: '2026-02-03' });
      expect(drafted).toMatchObject({ status: 201, etag: '"1"', body: { planId: ids.plan, version: 1 } });
      const base = `/v1/plans/${ids.plan}`;
      expect((await post(`${base}/situatieschets`, davey.situatieschets)).etag).toBe('"2"');
      const { doorbraakId: _id, legitimiteit, betrokkenheid: _b, weging: _w, ...doorbraak } = davey.doorbraken[0]!;
      doorbraakId = (await post(`${base}/doorbraken`, doorbraak)).body.doorbraakId;
      expect((await post(`${base}/doorbraken/${doorbraakId}/legitimiteit`, legitimiteit)).status).toBe(201);
      for (const { costLineId: _c, doorbraakId: _d, ...line } of davey.rendement.costLines) expect((await post(`${base}/cost-lines`, line)).status).toBe(201);
      const plan = (await api.app.inject({ method: 'GET', url: base, headers: await headers() })).json();
      expect(plan.rendement.printed).toEqual({ huidig: '3157', dreigend: '10057', doorbraak: '4209', directCosts: '1052', realBenefit: '5848' });
    });

    it('is submitted once complete', async () => {
      expect((await post(`/v1/plans/${ids.plan}/submission`, { submittedOn: '2026-02-03', submittedBy: 'prof-1', requestedAmount: '1052.32' })).status).toBe(201);
    });

    it('refuses a decision beyond the mandate, naming the authority required, and writes nothing', async () => {
      const decision = { decidedOn: '2026-02-04', outcome: 'approved', conditions: [], decisionMaker: { actorId: 'dm-tl', role: 'teamleider' }, onBehalfOf: ON_BEHALF_OF, mandateId: ids.teamleider, legalBasis: ['Participatiewet art. 18 lid 1'], motivation: 'waiting period serves no purpose here', approvedAmount: '1052.32', doorbraakIds: [doorbraakId] };
      const response = await refused((c) => post(`/v1/plans/${ids.plan}/decisions`, decision, c, { roles: ['teamleider'], sub: 'dm-tl' }));
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'DECISION.BEYOND_MANDATE', requiredAuthority: 'directeur' });
      expect(response.body['title']).toMatch(/escalate to the directeur/);
    });

    it('records the decision of the directeur under the directeur mandate', async () => {
      const decision = { decidedOn: '2026-02-04', outcome: 'approved', conditions: [], decisionMaker: { actorId: 'dm-dir', role: 'directeur' }, onBehalfOf: ON_BEHALF_OF, mandateId: ids.directeur, legalBasis: ['Participatiewet art. 18 lid 1'], motivation: 'waiting period serves no purpose here', approvedAmount: '1052.32', doorbraakIds: [doorbraakId] };
      const response = await post(`/v1/plans/${ids.plan}/decisions`, decision, {}, { roles: ['directeur'], sub: 'dm-dir' });
      expect(response.status).toBe(201);
      decisionId = response.body.decisionId;
      const plan = (await api.app.inject({ method: 'GET', url: `/v1/plans/${ids.plan}`, headers: await headers() })).json();
      expect(plan).toMatchObject({ status: 'approved', leadTimeDays: 1, decision: { mandateId: ids.directeur, mandateRegisterVersion: 2, decisionMaker: { role: 'directeur' } } });
    });

    const spend = () => ({ planId: ids.plan, doorbraakId, decisionId, amount: '1052.32', payee: { organisation: 'Uitkeringsadministratie Demodorp' }, kind: 'gift', recurrence: 'one-off', primaryProvision: { checked: true, why: 'the four-week rule blocks regular bijstand' }, committedOn: '2026-02-05' });

    it('refuses a spend beyond the budget, saying what is left, and writes nothing', async () => {
      const response = await refused((c) => post(`/v1/budgets/${ids.budget}/spends`, { ...spend(), amount: '2000.01' }, c));
      expect(response).toMatchObject({ status: 409, body: { code: 'BUDGET.EXCEEDED', errors: [{ pointer: '#/amount' }] } });
    });

    it('refuses a spend without an approved decision and writes nothing', async () => {
      const response = await refused((c) => post(`/v1/budgets/${ids.budget}/spends`, { ...spend(), decisionId: randomUUID() }, c));
      expect(response).toMatchObject({ status: 409, body: { code: 'SPEND.WITHOUT_APPROVED_DECISION' } });
    });

    it('commits and pays a spend within the budget', async () => {
      const committed = await post(`/v1/budgets/${ids.budget}/spends`, spend());
      expect(committed.status).toBe(201);
      expect((await post(`/v1/budgets/${ids.budget}/spends/${committed.body.spendId}/payments`, { amount: '1052.32', paidOn: '2026-02-10' })).status).toBe(201);
      const budget = (await api.app.inject({ method: 'GET', url: `/v1/budgets/${ids.budget}`, headers: await headers() })).json();
      expect(budget).toMatchObject({ available: '947.68', spends: [{ amount: '1052.32', paid: '1052.32', reversed: '0' }] });
    });
  });

  describe('bad input', () => {
    const costLine = { description: 'Bijstand', unit: 'maand', unitPrice: '1052.32', quantities: { huidig: '3', dreigend: '3', doorbraak: '4' }, fundingSource: 'participatiewet', priceSource: 'Uitkeringsbedragen' };
    let draft = '';
    beforeAll(async () => {
      draft = (await post('/v1/plans', { householdId: ids.household, title: 'Second plan', draftedOn: '2026-03-01', planVersion: 2 })).body.planId;
    });

    it.each([
      ['an unknown funding law', { ...costLine, fundingSource: 'belastingwet' }, '#/fundingSource', /unknown funding source "belastingwet"/],
      ['a negative quantity', { ...costLine, quantities: { ...costLine.quantities, dreigend: '-2' } }, '#/quantities/dreigend', /must not be negative/],
      ['a missing unit price', (({ unitPrice: _u, ...rest }) => rest)(costLine), '#/unitPrice', /required/],
      ['an amount with three decimals', { ...costLine, unitPrice: '10.001' }, '#/unitPrice', /at most two decimals/],
    ])('refuses %s with a problem naming the field, writing nothing', async (_what, payload, pointer, detail) => {
      const response = await refused((c) => post(`/v1/plans/${draft}/cost-lines`, payload, c));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ type: expect.stringContaining('validation'), status: 400 });
      expect(response.body['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ pointer, detail: expect.stringMatching(detail) })]));
    });

    it('refuses a malformed body and an unknown field', async () => {
      const malformed = await refused(async (c) => {
        const r = await api.app.inject({ method: 'POST', url: `/v1/plans/${draft}/cost-lines`, payload: '{"description":', headers: { ...(await headers(c)), 'content-type': 'application/json' } });
        return { status: r.statusCode, body: r.json() };
      });
      expect(malformed).toMatchObject({ status: 400, body: { status: 400 } });
      const unknown = await refused((c) => post(`/v1/plans/${draft}/cost-lines`, { ...costLine, discount: '5' }, c));
      expect(unknown.status).toBe(400);
    });

    it('refuses a stale If-Match with 412 and accepts the current one', async () => {
      const current = (await api.app.inject({ method: 'GET', url: `/v1/plans/${draft}`, headers: await headers() })).headers['etag'] as string;
      expect(current).toBe('"1"');
      const stale = await refused((c) => post(`/v1/plans/${draft}/cost-lines`, costLine, { ...c, 'if-match': '"0"' }));
      expect(stale).toMatchObject({ status: 412, body: { detail: 'current version is 1' } });
      expect((await post(`/v1/plans/${draft}/cost-lines`, costLine, { 'if-match': current })).etag).toBe('"2"');
    });

    it('makes a change once for a repeated Idempotency-Key', async () => {
      const key = `retry-${randomUUID()}`;
      const first = await post(`/v1/plans/${draft}/cost-lines`, costLine, { 'idempotency-key': key });
      const again = await post(`/v1/plans/${draft}/cost-lines`, costLine, { 'idempotency-key': key });
      const { rows } = await api.ledger.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${api.ledger.schema}.events WHERE metadata->>'causationId' = $1`, [`idempotency:${key}`]);
      expect(rows[0]!.n).toBe('1');
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body['version']).toBe(first.body.version);
    });

    it('accepts a unit as the KBA table prints it, known or in its own words, and still checks the amounts', async () => {
      for (const unit of ['uithuisplaatsing', 'fiets', 'begeleide omgang']) expect((await post(`/v1/plans/${draft}/cost-lines`, { ...costLine, unit })).status).toBe(201);
      const plan = (await api.app.inject({ method: 'GET', url: `/v1/plans/${draft}`, headers: await headers() })).json();
      expect(JSON.stringify(plan)).toContain('"unit":"begeleide omgang"');
      const { unit: _unit, ...wholeLine } = costLine;
      expect((await post(`/v1/plans/${draft}/cost-lines`, { ...wholeLine, description: 'Schuldbemiddeling als geheel' })).status).toBe(201);
      const unitless = await refused((c) => post(`/v1/plans/${draft}/cost-lines`, { ...wholeLine, unitPrice: '12,50' }, c));
      expect(unitless.body['errors']).toEqual([expect.objectContaining({ pointer: '#/unitPrice' })]);
      const bad = await refused((c) => post(`/v1/plans/${draft}/cost-lines`, { ...costLine, unit: 'begeleide omgang', unitPrice: '12,50', quantities: { ...costLine.quantities, huidig: 'x' } }, c));
      expect(bad.status).toBe(400);
      expect(bad.body['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '#/unitPrice' }), expect.objectContaining({ pointer: '#/quantities/huidig' })]));
    });

    it('does not show a plan to another municipality', async () => {
      const response = await api.app.inject({ method: 'GET', url: `/v1/plans/${ids.plan}`, headers: await api.as({ ...professional, municipality: 'gm0363' }) });
      expect(response.statusCode).toBe(404);
    });
  });
}
