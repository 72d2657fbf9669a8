import { demoDataset } from '@doorbraak/application';
import { startApi, type ApiHarness } from './ledger-harness';

// Given a household document whose KBA table names units in its own words, when it is imported, then the unit is kept
// and the amounts are checked as strictly as ever.
describe('importing cost lines with the units real KBA tables print', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const withFirstCostLine = (change: Record<string, unknown>, householdIndex = 0) => {
    const demo = demoDataset();
    const household = demo.households[householdIndex]!;
    const line = household.plans[0]!.rendement!.costLines[0]!;
    Object.assign(line, change);
    return { ...demo, households: [household] };
  };
  const importing = async (document: object) => {
    const response = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: document, headers: await api.as({ roles: ['professional'] }) });
    return { status: response.statusCode, text: response.body };
  };

  it('refuses a bad unit price or quantity beside an unlisted unit, naming the field', async () => {
    const badPrice = await importing(withFirstCostLine({ unit: 'begeleide omgang', unitPrice: '1.000,00' }));
    expect(badPrice.status).toBe(400);
    expect(badPrice.text).toContain('"pointer":"#/households/0/plans/0/rendement/costLines/0/unitPrice"');
    expect(badPrice.text).not.toMatch(/"pointer":"[^"]*\/unit"/);
    const badQuantity = await importing(withFirstCostLine({ unit: 'begeleide omgang', quantities: { huidig: '-1', dreigend: '1', doorbraak: '1' } }));
    expect(badQuantity.status).toBe(400);
    expect(badQuantity.text).toContain('"pointer":"#/households/0/plans/0/rendement/costLines/0/quantities/huidig"');
    const planId = demoDataset().households[0]!.plans[0]!.planId;
    const plan = await api.app.inject({ method: 'GET', url: `/v1/plans/${planId}`, headers: await api.as({ roles: ['professional'] }) });
    expect(plan.statusCode).toBe(404);
  });

  it('accepts a cost line with an unlisted unit and keeps it', async () => {
    const document = withFirstCostLine({ unit: 'begeleide omgang' });
    const imported = await importing(document);
    expect(imported.status).toBe(200);
    const planId = document.households[0]!.plans[0]!.planId;
    const plan = await api.app.inject({ method: 'GET', url: `/v1/plans/${planId}`, headers: await api.as({ roles: ['professional'] }) });
    expect(plan.body).toContain('"unit":"begeleide omgang"');
  });

  it('accepts a cost line with no unit at all, and still refuses a bad unit price beside it', async () => {
    const badPrice = await importing(withFirstCostLine({ unit: undefined, unitPrice: '-5.00' }, 1));
    expect(badPrice.status).toBe(400);
    expect(badPrice.text).toContain('"pointer":"#/households/0/plans/0/rendement/costLines/0/unitPrice"');
    const document = withFirstCostLine({ unit: undefined }, 1);
    expect((await importing(document)).status).toBe(200);
    const planId = document.households[0]!.plans[0]!.planId;
    const plan = await api.app.inject({ method: 'GET', url: `/v1/plans/${planId}`, headers: await api.as({ roles: ['professional'] }) });
    expect(plan.json().rendement.costLines[0]).not.toHaveProperty('unit');
  });
});
