import { z } from 'zod';
import type { RouteDoc } from '../openapi/route-doc';

export const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  backend: z.enum(['postgres', 'embedded', 'kurrentdb']),
  database: z.enum(['up', 'down']),
  logHead: z.string().describe('Log position of the newest event visible to readers'),
});

const example = { status: 'ok', backend: 'embedded', database: 'up', logHead: '00000000000000000752-00000000000000000012' };

export const healthRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/health',
    operationId: 'getHealth',
    summary: 'Whether the ledger can serve requests',
    tags: ['meta'],
    public: true,
    responses: {
      '200': { description: 'Healthy', schema: healthSchema, example },
      '503': { description: 'The database cannot be reached', schema: healthSchema, example: { ...example, status: 'unavailable', database: 'down' } },
    },
  },
];
