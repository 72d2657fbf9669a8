import { allRoutes } from '@doorbraak/api';
import { type Role, demoDataset, permissionsOfRole, roles } from '@doorbraak/application';
import type { LogPosition } from '@doorbraak/event-store';
import { randomUUID } from 'node:crypto';
import { householdTexts } from './free-text';
import { type ApiHarness, startApi } from './ledger-harness';

const OWN = 'gm9001';
const OTHER = 'gm0363';
const deciders: Role[] = ['teamleider', 'directeur', 'wethouder'];

/**
 * How each endpoint answers another municipality's caller who holds an allowed role: `not-found` (the resource is
 * not theirs and its existence is not disclosed), `own-data-only` (a list or report of their own municipality,
 * without a trace of the other's data), `forbidden` (an import of the other's document), or `same` (the
 * Merkle log and operations, which are shared and hold no case data).
 */
type Other = 'not-found' | 'own-data-only' | 'forbidden' | 'same';

/** The specification: which roles may call each endpoint. Everyone else gets 403, whatever the municipality. */
const spec: Record<string, { allowed: readonly Role[] | 'public'; other: Other }> = {
  getHealth: { allowed: 'public', other: 'same' },
  getOpenApi: { allowed: 'public', other: 'same' },
  issueDevelopmentToken: { allowed: 'public', other: 'same' },
  openHousehold: { allowed: ['professional'], other: 'own-data-only' },
  getHousehold: { allowed: ['professional', ...deciders, 'auditor'], other: 'not-found' },
  exportHousehold: { allowed: ['professional'], other: 'not-found' },
  assignRegie: { allowed: ['professional'], other: 'not-found' },
  closeHousehold: { allowed: ['professional'], other: 'not-found' },
  eraseHousehold: { allowed: ['admin'], other: 'not-found' },
  getHouseholdAccessLog: { allowed: ['auditor', 'admin'], other: 'not-found' },
  getAccessLog: { allowed: ['auditor', 'admin'], other: 'own-data-only' },
  draftPlan: { allowed: ['professional'], other: 'not-found' },
  getPlan: { allowed: ['professional', ...deciders, 'auditor'], other: 'not-found' },
  listPlans: { allowed: ['professional', ...deciders, 'auditor'], other: 'own-data-only' },
  getAuditTrail: { allowed: ['professional', ...deciders, 'auditor', 'accountant'], other: 'not-found' },
  findComparableExceptions: { allowed: ['professional', ...deciders, 'auditor'], other: 'own-data-only' },
  recordEscalations: { allowed: ['professional', ...deciders], other: 'not-found' },
  recordDecisions: { allowed: deciders, other: 'not-found' },
  listMandates: { allowed: ['professional', ...deciders, 'auditor', 'accountant', 'admin'], other: 'own-data-only' },
  grantMandate: { allowed: ['admin'], other: 'own-data-only' },
  revokeMandate: { allowed: ['admin'], other: 'not-found' },
  openBudget: { allowed: ['admin'], other: 'own-data-only' },
  listBudgets: { allowed: ['professional', ...deciders, 'auditor', 'accountant', 'admin'], other: 'own-data-only' },
  getBudget: { allowed: ['professional', ...deciders, 'auditor', 'accountant', 'admin'], other: 'not-found' },
  adjustBudget: { allowed: ['admin'], other: 'not-found' },
  commitSpend: { allowed: ['professional', 'admin'], other: 'not-found' },
  paySpend: { allowed: ['professional', 'admin'], other: 'not-found' },
  reverseSpend: { allowed: ['professional', 'admin'], other: 'not-found' },
  getCostTable: { allowed: [...deciders, 'auditor', 'accountant'], other: 'own-data-only' },
  getCostSources: { allowed: [...deciders, 'auditor', 'accountant'], other: 'own-data-only' },
  getFindings: { allowed: [...deciders, 'auditor', 'accountant'], other: 'own-data-only' },
  getFindingsSummary: { allowed: [...deciders, 'auditor', 'accountant'], other: 'own-data-only' },
  getAnalytics: { allowed: [...deciders, 'analyst'], other: 'own-data-only' },
  getLogStatus: { allowed: ['professional', ...deciders, 'auditor', 'accountant', 'admin'], other: 'same' },
  getLatestCheckpoint: { allowed: 'public', other: 'same' },
  getLogTile: { allowed: 'public', other: 'same' },
  getLogPartialTile: { allowed: 'public', other: 'same' },
  signCheckpoint: { allowed: ['auditor', 'admin'], other: 'same' },
  getInclusionProof: { allowed: ['professional', ...deciders, 'auditor', 'accountant', 'admin'], other: 'same' },
  getConsistencyProof: { allowed: ['professional', ...deciders, 'auditor', 'accountant', 'admin'], other: 'same' },
  importHouseholds: { allowed: ['professional'], other: 'forbidden' },
  pullProjectionChanges: { allowed: ['analyst'], other: 'own-data-only' },
  streamProjectionChanges: { allowed: ['analyst'], other: 'own-data-only' },
  getMetrics: { allowed: ['analyst', 'admin'], other: 'same' },
  listProjections: { allowed: ['analyst', 'admin'], other: 'same' },
};
/** Every other plan step writes the plan: professionals only. */
const specOf = (operationId: string) => spec[operationId] ?? (operationId.startsWith('record') ? { allowed: ['professional'] as Role[], other: 'not-found' as const } : undefined);

describe('access control: every endpoint × every role × own and other municipality', () => {
  let api: ApiHarness;
  const demo = demoDataset();
  const davey = demo.households[1]!;
  const plan = davey.plans[0]!;
  const closedHousehold = randomUUID();
  let decisionEventId = '';

  beforeAll(async () => {
    api = await startApi({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' } });
    const professional = await api.as({ roles: ['professional'] });
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demo as object, headers: professional });
    expect(imported.json().summary).toMatchObject({ failed: 0 });
    const household = { householdId: closedHousehold, reference: 'ERASE-1', openedOn: '2026-01-01', regisseur: { professionalId: 'prof-1', role: 'regisseur' }, personal: { alias: 'T.' } };
    expect((await api.app.inject({ method: 'POST', url: '/v1/households', payload: household, headers: professional })).statusCode).toBe(201);
    const closed = await api.app.inject({ method: 'POST', url: `/v1/households/${closedHousehold}/closure`, payload: { closedOn: '2026-02-01', reason: 'moved away' }, headers: professional });
    expect(closed.statusCode).toBe(201);
    decisionEventId = (await api.ledger.store.readStream(`plan-${plan.planId}`)).find((e) => e.type === 'PlanDecided')!.eventId;
    await api.ledger.log.waitFor(closed.json().logPosition as LogPosition);
    await api.ledger.log.checkpoint('access-control specification');
    await api.ledger.runtime.waitFor('cost_per_law', closed.json().logPosition as LogPosition);
  });
  afterAll(() => api.close());

  const ids: Record<string, () => string> = {
    householdId: () => davey.householdId,
    planId: () => plan.planId,
    doorbraakId: () => plan.doorbraken[0]!.doorbraakId,
    costLineId: () => plan.rendement.costLines[0]!.costLineId,
    actionId: () => plan.actieplan!.actions[0]!.actionId,
    evaluationId: () => plan.evaluations!.moments[0]!.evaluationId,
    budgetId: () => plan.spends[0]!.budgetId,
    spendId: () => plan.spends[0]!.spendId,
    mandateId: () => demo.mandates[0]!.mandateId,
    eventId: () => decisionEventId,
    name: () => 'cost_per_law',
    level: () => '0',
    index: () => '000',
    width: () => '1',
  };
  const queries: Record<string, string> = { getConsistencyProof: '?from=1&to=2', findComparableExceptions: '?citation=Participatiewet%20art.%2041%20lid%204' };

  async function call(operationId: string, role: Role | undefined, municipality: string) {
    const route = allRoutes.find((r) => r.operationId === operationId)!;
    const sub = role ? `${role}-1` : 'anonymous';
    const url =
      route.path.replace(/\{(\w+)\}/g, (_m, name: string) => (operationId === 'eraseHousehold' && name === 'householdId' ? closedHousehold : ids[name]!())) + (queries[operationId] ?? '');
    let payload = route.body?.example as Record<string, unknown> | undefined;
    // A decision is recorded in the caller's own name and role.
    if (operationId === 'recordDecisions' && role) payload = { ...payload, decisionMaker: { actorId: sub, role } };
    const headers = role ? await api.as({ roles: [role], municipality, sub }) : {};
    if (operationId === 'streamProjectionChanges') {
      const response = await api.app.inject({ method: 'GET', url, headers, payloadAsStream: true });
      response.stream().destroy();
      return { status: response.statusCode, body: '' };
    }
    const response = await api.app.inject({ method: route.method.toUpperCase() as 'GET' | 'POST', url, headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.body, type: response.headers['content-type'] };
  }

  it('has a specification for every documented endpoint', () => {
    expect(allRoutes.filter((r) => !specOf(r.operationId)).map((r) => r.operationId)).toEqual([]);
  });

  const cases = allRoutes.flatMap((route) => [...roles, undefined].flatMap((role) => [OWN, OTHER].map((municipality) => [route.operationId, role ?? 'no token', municipality, role] as const)));

  it.each(cases)('%s as %s of %s', async (operationId, _label, municipality, role) => {
    const { allowed, other } = specOf(operationId)!;
    const { status, body } = await call(operationId, role, municipality);
    expect(status).toBeLessThan(500);
    // The demo log has more than 256 entries, so tile 0/000 is full.
    if (allowed === 'public') return expect(status).toBe(200);
    if (!role) return expect(status).toBe(401);
    if (!allowed.includes(role)) return expect(status).toBe(403);
    if (municipality === OWN) return expect([401, 403]).not.toContain(status);
    if (other === 'not-found') expect(status).toBe(404);
    if (other === 'forbidden') expect(status).toBe(403);
    if (other === 'same' || other === 'own-data-only') expect([401, 403, 404]).not.toContain(status);
    if (other === 'own-data-only') {
      for (const id of [davey.householdId, plan.planId, OWN]) expect(body).not.toContain(id);
    }
  });

  it('shows no free text or narrative of a household to a role without its personal data, in any answer it may read', async () => {
    // A free text inside a role name, an actor id or another fact ("reclassering") is not a leak when shown.
    const facts = householdTexts(davey, '', '', false, true);
    const texts = [...new Set(householdTexts(davey))].filter((t) => t.length >= 12 && !facts.some((f) => f.includes(t)));
    expect(texts.length).toBeGreaterThan(40);
    const blind = roles.filter((role) => !permissionsOfRole[role].includes('narrative:read'));
    expect(blind).toEqual(['auditor', 'accountant', 'analyst', 'admin']);
    const leaks: string[] = [];
    let read = 0;
    for (const role of blind) {
      for (const route of allRoutes.filter((r) => r.method === 'get' && r.operationId !== 'streamProjectionChanges')) {
        const { allowed } = specOf(route.operationId)!;
        if (allowed === 'public' || !allowed.includes(role)) continue;
        const { status, body } = await call(route.operationId, role, OWN);
        expect({ route: route.operationId, role, status }).toEqual({ route: route.operationId, role, status: 200 });
        read++;
        leaks.push(...texts.filter((t) => body.includes(t)).map((t) => `${route.operationId} as ${role}: ${t.slice(0, 60)}`));
      }
    }
    expect(read).toBeGreaterThan(30);
    expect(leaks).toEqual([]);
  });

  it('shows narrative to an auditor only with the narrative grant, and lets them export then', async () => {
    const plain = await api.app.inject({ method: 'GET', url: `/v1/plans/${plan.planId}`, headers: await api.as({ roles: ['auditor'] }) });
    expect(plain.json().steps.situatieschets.current.personal).toEqual({ withheld: true });
    const granted = await api.app.inject({ method: 'GET', url: `/v1/plans/${plan.planId}`, headers: await api.as({ roles: ['auditor'], grants: ['narrative'] }) });
    expect(granted.json().steps.situatieschets.current.personal).toEqual(plan.situatieschets.personal);
    const exported = await api.app.inject({ method: 'GET', url: `/v1/households/${davey.householdId}/export`, headers: await api.as({ roles: ['auditor'], grants: ['narrative'] }) });
    expect(exported.statusCode).toBe(200);
  });

  it('refuses a decision recorded in another person’s name', async () => {
    const route = allRoutes.find((r) => r.operationId === 'recordDecisions')!;
    const response = await api.app.inject({ method: 'POST', url: `/v1/plans/${plan.planId}/decisions`, payload: route.body!.example as object, headers: await api.as({ roles: ['directeur'], sub: 'someone-else' }) });
    expect(response.statusCode).toBe(403);
    expect(response.json().title).toMatch(/in the caller's own name and role/);
  });

  it.each([
    ['a malformed header', 'Token abc'],
    ['a token signed by someone else', `Bearer ${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.c2ln`],
  ])('answers %s with 401 problem+json and a Bearer challenge', async (_what, authorization) => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/plans', headers: { authorization } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="doorbraak-ledger"/);
  });
});
