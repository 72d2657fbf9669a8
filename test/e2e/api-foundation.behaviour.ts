import { anEvent } from '@doorbraak/event-store-contract';
import { randomUUID } from 'node:crypto';
import type { ApiHarness } from './ledger-harness';

/** What every deployment of the API answers, on either backend. */
export function describeApiFoundation(start: () => Promise<ApiHarness>): void {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await start();
  });
  afterAll(() => api.close());

  it('reports health with the backend and the log head', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', backend: expect.any(String), database: 'up', logHead: expect.stringMatching(/^\d{20}-\d{20}$/) });
  });

  it('serves an OpenAPI 3.1 document in which every operation has an id and an example', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { example?: unknown }> }> };
    const operations = Object.values(document.paths as Record<string, Record<string, Operation>>).flatMap((path) => Object.values(path));
    expect(operations.map((o) => o.operationId)).toEqual(expect.arrayContaining(['getHealth', 'getOpenApi', 'listProjections']));
    for (const operation of operations) {
      const examples = Object.values(operation.responses).flatMap((r) => Object.values(r.content ?? {}).map((c) => c.example));
      expect(examples.filter((e) => e !== undefined).length).toBeGreaterThan(0);
    }
  });

  it('echoes a well-formed correlation id and makes one otherwise', async () => {
    const given = await api.app.inject({ method: 'GET', url: '/v1/health', headers: { 'x-correlation-id': 'case-review-2026-11' } });
    expect(given.headers['x-correlation-id']).toBe('case-review-2026-11');
    const made = await api.app.inject({ method: 'GET', url: '/v1/health', headers: { 'x-correlation-id': 'bad id!' } });
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with problem+json', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, instance: '/v1/nothing-here', correlationId: expect.any(String) });
  });

  it('shows each projection with its checkpoint and lag, caught up after appends', async () => {
    let last;
    for (let i = 0; i < 5; i++) last = await api.ledger.store.append(`plan-${randomUUID()}`, [anEvent()], 'no_stream');
    await api.ledger.runtime.waitFor('stream_activity', last!.logPosition);
    const operator = await api.as({ roles: ['admin'] });
    const response = await api.app.inject({ method: 'GET', url: '/v1/projections', headers: operator });
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { name: string }[];
    expect(items.map((i) => i.name).sort()).toEqual(api.ledger.runtime.projections.map((p) => p.name).sort());
    expect(items.find((i) => i.name === 'stream_activity')).toEqual(
      expect.objectContaining({ status: 'live', lag: 0, eventsApplied: 5, position: last!.logPosition }),
    );
    const metrics = await api.app.inject({ method: 'GET', url: '/v1/metrics', headers: operator });
    expect(metrics.body).toMatch(/^ledger_projection_lag_events\{projection="stream_activity",generation="1",version="1",status="live"\} 0$/m);
  });
}
