import { postgresUrl, uniqueSchema } from '@doorbraak/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { type ApiHarness, type Caller, startApi } from './ledger-harness';

const professional: Caller = { roles: ['professional'], sub: 'prof-1' };
const COST_LINE = { description: 'Bijstand (levensonderhoud)', unit: 'maand', unitPrice: '1052.32', quantities: { huidig: '3', dreigend: '3', doorbraak: '4' }, fundingSource: 'participatiewet', priceSource: 'norm' };

/**
 * Two API processes on one database, each remembering the streams it wrote: a decision made on what one process
 * remembers is never appended once the other has changed the stream.
 */
describe('two API processes on one database', () => {
  let a: ApiHarness;
  let b: ApiHarness;
  const householdId = randomUUID();

  const post = async (api: ApiHarness, url: string, payload: object, extra: Record<string, string> = {}, caller = professional) => {
    const response = await api.app.inject({ method: 'POST', url, payload, headers: { ...(await api.as(caller)), ...extra } });
    return { status: response.statusCode, body: response.json(), etag: response.headers['etag'] as string | undefined };
  };
  const eventsOf = async (planId: string) => (await a.ledger.store.readStream(`plan-${planId}`)).map((e) => [e.type, e.data['costLineId']]);
  const aPlanWithACostLine = async (ofHousehold = householdId) => {
    const planId = randomUUID();
    expect((await post(a, '/v1/plans', { planId, householdId: ofHousehold, title: 'Doorbraakplan', draftedOn: '2026-02-03' })).status).toBe(201);
    const { body } = await post(a, `/v1/plans/${planId}/cost-lines`, COST_LINE);
    // Both processes now remember the plan: b by writing to it.
    expect((await post(b, `/v1/plans/${planId}/cost-lines`, COST_LINE)).etag).toBe('"3"');
    return { planId, costLineId: body.costLineId as string };
  };

  const openHousehold = async (id: string) => {
    const household = { householdId: id, reference: `E2E-${id.slice(0, 4)}`, openedOn: '2026-02-01', regisseur: { professionalId: 'prof-1', role: 'jongerencoach' }, personal: { alias: 'E.' } };
    expect((await post(a, '/v1/households', household)).status).toBe(201);
  };

  beforeAll(async () => {
    const schema = uniqueSchema('two');
    // Processes of one ledger share its master key: a plan's free text is sealed with its household's key.
    const env = { LEDGER_MASTER_KEY: randomBytes(32).toString('base64') };
    a = await startApi({ databaseUrl: postgresUrl(), schema, runProjections: false, env });
    b = await startApi({ databaseUrl: postgresUrl(), schema, runProjections: false, env });
    await openHousehold(householdId);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('refuses, on what the other process appended, a step the remembered state still allows', async () => {
    const { planId, costLineId } = await aPlanWithACostLine();
    const withdraw = { reason: 'double counted' };
    expect((await post(a, `/v1/plans/${planId}/cost-lines/${costLineId}/withdrawal`, withdraw)).status).toBe(201);
    // b remembers the line as standing (version 3); the stream is at version 4 with the line withdrawn.
    const second = await post(b, `/v1/plans/${planId}/cost-lines/${costLineId}/withdrawal`, withdraw);
    expect(second.status).toBe(404);
    expect((await eventsOf(planId)).filter(([type]) => type === 'CostLineWithdrawn')).toEqual([['CostLineWithdrawn', costLineId]]);
  });

  it('accepts, on what the other process appended, a step the remembered state would refuse', async () => {
    const { planId } = await aPlanWithACostLine();
    const { body } = await post(a, `/v1/plans/${planId}/cost-lines`, COST_LINE);
    // b has never seen this cost line.
    expect((await post(b, `/v1/plans/${planId}/cost-lines/${body.costLineId}/withdrawal`, { reason: 'not needed' })).status).toBe(201);
  });

  it('refuses, in the process that remembers its key, personal data for a household the other process erased, and writes nothing', async () => {
    const erased = randomUUID();
    await openHousehold(erased);
    // b remembers the plan and the household's key: it sealed a cost line with it.
    const { planId } = await aPlanWithACostLine(erased);
    expect((await post(a, `/v1/households/${erased}/closure`, { closedOn: '2046-01-02', reason: 'retention period ended' })).status).toBe(201);
    const erasure = { erasedOn: '2046-01-03', basis: 'retention-period-ended', selectielijstCategory: '1.1.56' };
    expect((await post(a, `/v1/households/${erased}/erasure`, erasure, {}, { roles: ['admin'] })).status).toBe(201);
    const refused = await post(b, `/v1/plans/${planId}/cost-lines`, COST_LINE);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'PERSONAL_DATA.ERASED' });
    expect(await eventsOf(planId)).toHaveLength(3);
  });

  it('answers a stale If-Match with 412 and the current one with 201 in either process', async () => {
    const { planId } = await aPlanWithACostLine();
    const added = await post(a, `/v1/plans/${planId}/cost-lines`, COST_LINE, { 'if-match': '"3"' });
    expect(added.etag).toBe('"4"');
    expect((await post(b, `/v1/plans/${planId}/cost-lines`, COST_LINE, { 'if-match': '"3"' })).status).toBe(412);
    expect((await post(b, `/v1/plans/${planId}/cost-lines`, COST_LINE, { 'if-match': '"4"' })).etag).toBe('"5"');
    expect((await post(a, `/v1/plans/${planId}/cost-lines`, COST_LINE, { 'if-match': '"4"' })).status).toBe(412);
  });

  it('stores each step of writers racing through both processes once, or answers 412, never overwriting', async () => {
    const { planId } = await aPlanWithACostLine();
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => post(i % 2 ? a : b, `/v1/plans/${planId}/cost-lines`, COST_LINE)));
    const stored = results.filter((r) => r.status === 201);
    expect(results.filter((r) => r.status !== 201).map((r) => r.status)).toEqual(results.filter((r) => r.status !== 201).map(() => 412));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((r) => Number(r.body.version)).sort((x, y) => x - y)).toEqual(stored.map((_, i) => i + 4));
    expect((await eventsOf(planId)).slice(3).map(([, costLineId]) => costLineId).sort()).toEqual(stored.map((r) => r.body.costLineId).sort());
  });
});
