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

export const projectionRoutes: RouteDoc[] = [
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
