import { z } from 'zod';
import type { RouteDoc } from '../openapi/route-doc';

export const projectionStatusSchema = z.object({
  name: z.string(),
  generation: z.number().int(),
  version: z.number().int(),
  status: z.enum(['building', 'live', 'retired']),
  position: z.string(),
  eventsApplied: z.number().int(),
  lag: z.number().int().describe('Matching events not yet applied'),
});

const change = { cursor: '00000000000000000901-00000000000000000042', projection: 'cost_per_law', generation: 1, kind: 'upsert', key: 'spend:5b1c…', row: { kind: 'spend', law: 'participatiewet', committed: '1052.32' }, sourcePosition: '00000000000000000900-00000000000000000400' };

export const projectionRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/projections/{name}/changes',
    operationId: 'pullProjectionChanges',
    summary: 'Change records of a projection after a cursor (at least once, stable keys); pass `cursor` back as `after`',
    tags: ['subscriptions'],
    params: z.object({ name: z.string() }),
    query: z.object({ after: z.string().optional(), limit: z.number().int().optional() }),
    responses: {
      '200': { description: 'A page of change records', example: { items: [change], cursor: change.cursor, more: false } },
      '403': { description: 'The projection holds personal data', example: { type: 'about:blank', title: 'projection current_plans holds personal data and cannot be subscribed to', status: 403 } },
    },
  },
  {
    method: 'get',
    path: '/v1/projections/{name}/changes/stream',
    operationId: 'streamProjectionChanges',
    summary: 'The same records as server-sent events; reconnect with Last-Event-ID to resume',
    tags: ['subscriptions'],
    params: z.object({ name: z.string() }),
    headers: [{ name: 'Last-Event-ID', description: 'The id of the last record applied' }],
    responses: { '200': { description: 'text/event-stream of change records', contentType: 'text/event-stream', example: `id: ${change.cursor}\nevent: upsert\ndata: ${JSON.stringify(change)}\n\n` } },
  },
  {
    method: 'get',
    path: '/v1/metrics',
    operationId: 'getMetrics',
    summary: 'Projection lag and progress in Prometheus text format',
    tags: ['operations'],
    responses: { '200': { description: 'Metrics', contentType: 'text/plain', example: 'ledger_projection_lag_events{projection="current_plans",generation="1",version="1",status="live"} 0\n' } },
  },
  {
    method: 'get',
    path: '/v1/projections',
    operationId: 'listProjections',
    summary: 'Each read model with its checkpoint, lag and rebuild progress',
    tags: ['operations'],
    responses: {
      '200': {
        description: 'Every live or building generation',
        schema: z.object({ items: z.array(projectionStatusSchema) }),
        example: {
          items: [{ name: 'stream_activity', generation: 1, version: 1, status: 'live', position: '00000000000000000752-00000000000000000012', eventsApplied: 12, lag: 0 }],
        },
      },
    },
  },
];
