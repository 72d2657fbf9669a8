import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { type ApiHarness, startApi } from './ledger-harness';
import { buildWebPages } from './web-build';

describe('the web pages served by the API', () => {
  let api: ApiHarness;
  let webDir: string;

  beforeAll(async () => {
    webDir = buildWebPages();
    api = await startApi({ runProjections: false, env: { LEDGER_WEB_DIR: webDir, LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' } });
  });
  afterAll(async () => {
    await api.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const get = (url: string) => api.app.inject({ method: 'GET', url });

  it('serves the Dutch start page without a token, under a content security policy that allows only its own files', async () => {
    const page = await get('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="nl">');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the compiled modules as JavaScript that imports by relative paths', async () => {
    const main = await get('/web/main.js');
    expect(main.statusCode).toBe(200);
    expect(main.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(main.body).toMatch(/from '\.\/pages\/plans\.js'/);
    expect((await get('/web/pages/plans.js')).statusCode).toBe(200);
  });

  it.each([
    '/web/../package.json',
    '/web/..%2f..%2fpackage.json',
    '/web/%2e%2e/%2e%2e/package.json',
    '/web/pages/..%5c..%5cpackage.json',
    '/web/main.ts',
    '/web/main.js.map',
    '/web/.hidden.js',
    '/web/main.js%00.css',
    '/web/missing.js',
    '/web/',
    `/web/${'a/'.repeat(10)}x.js`,
  ])('answers %s with 404 problem+json and nothing from outside the build', async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toContain('"name"');
  });

  it('leaves unknown API paths answered as before: 404 problem+json', async () => {
    const response = await get('/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('the development login', () => {
  let api: ApiHarness;
  beforeAll(async () => (api = await startApi({ runProjections: false })));
  afterAll(() => api.close());

  const issue = (app: ApiHarness, payload: object) => app.app.inject({ method: 'POST', url: '/v1/development-tokens', payload });

  it('issues a token for the chosen role and municipality that the API accepts', async () => {
    const response = await issue(api, { sub: 'directeur-7', municipality: 'gm9001', roles: ['directeur'] });
    expect(response.statusCode).toBe(200);
    const { token, tokenType, expiresIn } = response.json();
    expect({ tokenType, expiresIn }).toEqual({ tokenType: 'Bearer', expiresIn: 28_800 });
    const mandates = await api.app.inject({ method: 'GET', url: '/v1/mandates', headers: { authorization: `Bearer ${token}` } });
    expect(mandates.statusCode).toBe(200);
    expect(mandates.json().tenant).toBe('gm9001');
    const refused = await api.app.inject({ method: 'GET', url: '/v1/access-log', headers: { authorization: `Bearer ${token}` } });
    expect(refused.statusCode).toBe(403);
  });

  it('points at each invalid claim, and refuses claims no token may carry', async () => {
    const response = await issue(api, { sub: 'a b', municipality: 'amsterdam', roles: ['superuser'], extra: true });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['#/extra', '#/municipality', '#/roles/0', '#/sub']);
  });

  it('does not exist when the API listens beyond this machine', async () => {
    const exposed = await startApi({ runProjections: false, env: { HOST: '0.0.0.0' } });
    try {
      expect((await issue(exposed, { sub: 'admin-1', municipality: 'gm9001', roles: ['admin'] })).statusCode).toBe(404);
    } finally {
      await exposed.close();
    }
  });

  it('does not exist in production: 404 problem+json, whatever the body', async () => {
    const production = await startApi({
      runProjections: false,
      env: {
        NODE_ENV: 'production',
        LEDGER_MASTER_KEY: randomBytes(32).toString('base64'),
        LEDGER_AUTH_PUBLIC_KEY: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    try {
      for (const payload of [{ sub: 'admin-1', municipality: 'gm9001', roles: ['admin'] }, {}]) {
        const response = await issue(production, payload);
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).not.toContain('token"');
      }
    } finally {
      await production.close();
    }
  });
});
