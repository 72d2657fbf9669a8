import { allRoutes } from './openapi.controller';

describe('the OpenAPI document', () => {
  const withBody = allRoutes.filter((r) => r.body);

  it('documents a request example for every write', () => {
    expect(allRoutes.filter((r) => r.method === 'post' && !r.body)).toEqual([]);
  });

  it.each(withBody.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s: its example is a valid request', (_name, route) => {
    const parsed = route.body!.schema.safeParse(route.body!.example);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('has a unique operation id per route', () => {
    const ids = allRoutes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
