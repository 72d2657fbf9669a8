import { type RouteDoc, allRoutes } from '@doorbraak/api';
import { type Role, demoDataset } from '@doorbraak/application';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { type ApiHarness, startApi } from './ledger-harness';

/** Roles that pass the guard of each route, so that most hostile requests reach validation and the handlers. */
const roleFor = (route: RouteDoc): Role[] =>
  route.operationId === 'recordDecisions'
    ? ['directeur']
    : /Budget|Mandate|erase|Checkpoint/.test(route.operationId) && route.method === 'post'
      ? ['admin']
      : /Projection|Metrics|Analytics/.test(route.operationId)
        ? ['analyst', 'admin']
        : ['professional', 'auditor', 'accountant', 'admin', 'directeur'];

const hostileStrings = [
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'x'.repeat(10_000),
  '0',
  '-1',
  'NaN',
  '9'.repeat(400),
  '🙂'.repeat(50),
  'null',
];

const forgedKey = generateKeyPairSync('ed25519').privateKey;
const forge = (claims: Record<string, unknown>, issuer: string) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).setIssuer(issuer).setAudience('doorbraak-ledger').setExpirationTime('5m').sign(forgedKey);

/**
 * Thousands of malformed and hostile requests to every endpoint: none may fail the server (5xx), every error is
 * problem+json, and none writes anything.
 */
describe('hostile requests', () => {
  let api: ApiHarness;
  let eventsBefore = '';
  const demo = demoDataset();
  const plan = demo.households[1]!.plans[0]!;

  beforeAll(async () => {
    api = await startApi({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' } });
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demo as object, headers: await api.as({ roles: ['professional'] }) });
    expect(imported.statusCode).toBe(200);
    eventsBefore = await countEvents();
  });
  afterAll(() => api.close());

  const countEvents = async () => (await api.ledger.client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${api.ledger.schema}.events`)).rows[0]!.n;

  const validIds: Record<string, string> = {
    householdId: demo.households[1]!.householdId,
    planId: plan.planId,
    doorbraakId: plan.doorbraken[0]!.doorbraakId,
    costLineId: plan.rendement.costLines[0]!.costLineId,
    actionId: plan.actieplan!.actions[0]!.actionId,
    evaluationId: plan.evaluations!.moments[0]!.evaluationId,
    budgetId: plan.spends[0]!.budgetId,
    spendId: plan.spends[0]!.spendId,
    mandateId: demo.mandates[0]!.mandateId,
    eventId: randomUUID(),
    name: 'cost_per_law',
  };

  type Attack =
    | { kind: 'token'; token: 'none' | 'garbage' | 'alg-none' | 'forged' | 'foreign-issuer' | 'bad-claims' }
    | { kind: 'path'; value: string }
    | { kind: 'body'; body: string; contentType: string }
    | { kind: 'header'; name: string; value: string }
    | { kind: 'query'; name: string; value: string };

  const stringValue = fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ maxLength: 50 }), fc.string({ unit: 'binary', maxLength: 20 }));
  /** A body that cannot be valid: not JSON, not an object, or an object with a field of the wrong type and a field no schema has. */
  const body = (route: RouteDoc) =>
    fc.oneof(
      fc.record({ body: fc.constantFrom('{"a":', '[]', '"text"', '12', 'null', '{"__proto__":{"admin":true}}', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'x'.repeat(1_100_000)), contentType: fc.constant('application/json') }),
      fc.record({ body: fc.jsonValue().map((v) => JSON.stringify(v)), contentType: fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded') }),
      fc.record({ extra: fc.string({ minLength: 1, maxLength: 20 }), value: fc.jsonValue() }).map(({ extra, value }) => {
        const example = { ...(route.body?.example as Record<string, unknown>) };
        const key = Object.keys(example).find((k) => typeof example[k] === 'string') ?? Object.keys(example)[0];
        if (key) example[key] = { nested: value };
        example[`unknown_${extra}`] = value;
        return { body: JSON.stringify(example), contentType: 'application/json' };
      }),
    );
  const attack = (route: RouteDoc): fc.Arbitrary<Attack> => {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const queryNames = Object.keys(route.query?.shape ?? {});
    const options: fc.Arbitrary<Attack>[] = [fc.constantFrom('none', 'garbage', 'alg-none', 'forged', 'foreign-issuer', 'bad-claims').map((token) => ({ kind: 'token' as const, token }))];
    if (params.length > 0) options.push(stringValue.filter((v) => v !== '' && v !== 'cost_per_law' && !/^[0-9a-f-]{36}$/i.test(v)).map((value) => ({ kind: 'path' as const, value })));
    if (route.method === 'post') options.push(body(route).map((b) => ({ kind: 'body' as const, ...b })));
    if (route.headers?.some((h) => h.name === 'If-Match')) {
      options.push(fc.record({ name: fc.constantFrom('if-match', 'idempotency-key'), value: fc.constantFrom('*', '"abc"', 'W/', '', ' ', 'a'.repeat(300)) }).map((h) => ({ kind: 'header' as const, ...h })));
    }
    // Longer than any query parameter allows, whatever else it holds: never a valid value.
    if (queryNames.length > 0) options.push(fc.record({ name: fc.constantFrom(...queryNames), value: stringValue.map((v) => `${'x'.repeat(1_000)}${v}`) }).map((q) => ({ kind: 'query' as const, ...q })));
    return fc.oneof(...options);
  };

  /** Percent-encodes every byte of the UTF-8 form (a lone surrogate becomes U+FFFD, as a client would send it). */
  const encode = (value: string) => [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

  async function send(route: RouteDoc, a: Attack) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const hostileParam = a.kind === 'path' ? params[0] : undefined;
    const path = route.path.replace(/\{(\w+)\}/g, (_m, p: string) => (p === hostileParam ? encode((a as { value: string }).value) : validIds[p]!));
    const query = a.kind === 'query' ? `?${a.name}=${encode(a.value)}` : route.operationId === 'getConsistencyProof' ? '?from=1&to=2' : route.operationId === 'findComparableExceptions' ? '?citation=x-y-z' : '';
    const headers: Record<string, string> = { 'x-correlation-id': `fuzz-${randomUUID()}` };
    if (a.kind === 'token') {
      const tokens: Record<typeof a.token, () => Promise<string | undefined>> = {
        none: async () => undefined,
        garbage: async () => 'Bearer not.a.token',
        'alg-none': async () => `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', municipality: 'gm9001', roles: ['admin'] })).toString('base64url')}.`,
        forged: async () => `Bearer ${await forge({ sub: 'x', municipality: 'gm9001', roles: ['admin'] }, api.config.LEDGER_AUTH_ISSUER)}`,
        'foreign-issuer': async () => `Bearer ${await forge({ sub: 'x', municipality: 'gm9001', roles: ['admin'] }, 'https://evil.example')}`,
        'bad-claims': async () => (await api.as({ roles: ['nobody' as Role], municipality: 'amsterdam' })).authorization,
      };
      const token = await tokens[a.token]();
      if (token) headers['authorization'] = token;
    } else {
      Object.assign(headers, await api.as({ roles: roleFor(route), sub: 'directeur-1' }));
    }
    if (a.kind === 'header') headers[a.name] = a.value;
    const payload = a.kind === 'body' ? a.body : route.body ? JSON.stringify(route.body.example) : undefined;
    if (payload !== undefined) headers['content-type'] = a.kind === 'body' ? a.contentType : 'application/json';
    const method = route.method.toUpperCase() as 'GET' | 'POST';
    const response = await api.app.inject({ method, url: path + query, headers, ...(payload !== undefined ? { payload } : {}) });
    return { status: response.statusCode, type: String(response.headers['content-type']), body: response.body };
  }

  it.each(['spends', `spends/${randomUUID()}/payments`, `spends/${randomUUID()}/reversals`])(
    'refuses a malformed amount of budgets/{id}/%s with 400 naming #/amount, writing nothing',
    async (path) => {
      const headers = await api.as({ roles: ['professional', 'accountant', 'admin', 'directeur'] });
      for (const amount of ['', 'NaN', '1.052,32', randomUUID(), '\u0000', '\ud800', '../../etc/passwd', 'x'.repeat(100_000), '-0.001', 12.5]) {
        const body = { amount, reason: 'x', reversedOn: '2026-03-01', paidOn: '2026-03-01' };
        const res = await api.app.inject({ method: 'POST', url: `/v1/budgets/${randomUUID()}/${path}`, payload: body, headers });
        expect({ amount, status: res.statusCode, type: res.headers['content-type'] }).toEqual({ amount, status: 400, type: expect.stringContaining('application/problem+json') });
        expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('#/amount');
      }
      expect(await countEvents()).toBe(eventsBefore);
    },
  );

  it('answers thousands of them without a server error, always with problem+json, writing nothing', async () => {
    const routes = allRoutes.filter((r) => !r.public);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes.map((r) => r.operationId)).chain((operationId) => attack(routes.find((r) => r.operationId === operationId)!).map((a) => [operationId, a] as const)),
        async ([operationId, a]) => {
          const route = routes.find((r) => r.operationId === operationId)!;
          const { status, type, body: text } = await send(route, a);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
          expect(type).toMatch(/^application\/problem\+json/);
          const problem = JSON.parse(text) as { status: number; title: string };
          expect(problem.status).toBe(status);
          expect(text).not.toMatch(/at [\w.<>]+ \(|node_modules|SELECT |INSERT |relation "|syntax error at/);
        },
      ),
      { numRuns: 3_000, seed: 20261122 },
    );
    expect(await countEvents()).toBe(eventsBefore);
    // The attacks reached every layer: token check, router, body parser and size limit, validation.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 404, 413, 415]));
  }, 300_000);
});

describe('rate limiting', () => {
  it('answers a client over its rate with 429 problem+json and Retry-After, and serves others', async () => {
    const api = await startApi({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const from = (remoteAddress: string) => api.app.inject({ method: 'GET', url: '/v1/health', remoteAddress });
      for (let i = 0; i < 3; i++) expect((await from('10.0.0.1')).statusCode).toBe(200);
      const limited = await from('10.0.0.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      expect(limited.json()).toMatchObject({ status: 429, title: expect.stringMatching(/^Too many requests: at most 3 a minute/) });
      expect((await from('10.0.0.2')).statusCode).toBe(200);
    } finally {
      await api.close();
    }
  });
});
