import { startApi, type ApiHarness } from './ledger-harness';

// The NL API Design Rules that can be checked mechanically (docs/api-design-rules.md lists them all).
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

describe('NL API Design Rules', () => {
  let api: ApiHarness;
  let document: { openapi: string; info: { version: string }; paths: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    api = await startApi();
    const response = await api.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    document = response.json();
  });
  afterAll(() => api.close());

  it('/core/publish-openapi, /core/doc-openapi: the OAS 3 document is at /v1/openapi.json, as JSON, without a token', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
  });

  it('/core/semver, /core/version-header: every response carries API-Version, the full semantic version of info.version', async () => {
    expect(document.info.version).toMatch(SEMVER);
    const responses = await Promise.all([
      api.app.inject({ method: 'GET', url: '/v1/health' }),
      api.app.inject({ method: 'GET', url: '/v1/openapi.json' }),
      api.app.inject({ method: 'GET', url: '/v1/plans' }),
      api.app.inject({ method: 'GET', url: '/v1/no-such-resource' }),
      api.app.inject({ method: 'POST', url: '/v1/plans', payload: {} }),
    ]);
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 401, 404, 401]);
    for (const response of responses) expect(response.headers['api-version']).toBe(document.info.version);
  });

  it('/core/uri-version: every path starts with the major version only', () => {
    for (const path of Object.keys(document.paths)) expect(path).toMatch(/^\/v1\//);
  });

  it('/core/no-trailing-slash: no path ends with a slash, and asking with one is a 404, not a redirect', async () => {
    for (const path of Object.keys(document.paths)) expect(path.endsWith('/')).toBe(false);
    const response = await api.app.inject({ method: 'GET', url: '/v1/health/' });
    expect(response.statusCode).toBe(404);
    expect(response.headers.location).toBeUndefined();
  });

  it('/core/http-methods: the document uses only GET, POST, PUT, PATCH and DELETE', () => {
    const methods = new Set(Object.values(document.paths).flatMap((item) => Object.keys(item).filter((key) => key !== 'parameters')));
    for (const method of methods) expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
  });

  it('errors are RFC 9457 problem+json', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/no-such-resource' });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404 });
  });
});
