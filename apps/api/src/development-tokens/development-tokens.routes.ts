import { z } from 'zod';
import type { RouteDoc } from '../openapi/route-doc';
import { developmentTokenRequest } from './development-tokens.controller';

export const developmentTokenRoutes: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/development-tokens',
    operationId: 'issueDevelopmentToken',
    summary: 'A development bearer token for the web pages\u2019 login (not in production, nor when an identity provider issues tokens)',
    tags: ['meta'],
    public: true,
    body: { schema: developmentTokenRequest, example: { sub: 'directeur-1', municipality: 'gm9001', roles: ['directeur'], grants: [] } },
    responses: {
      '200': {
        description: 'A token signed by the development key, valid for eight hours',
        schema: z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int() }),
        example: { token: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJkaXJlY3RldXItMSJ9.c2ln', tokenType: 'Bearer', expiresIn: 28800 },
      },
      '400': { description: 'Claims that are not valid; `errors` points at each', example: { type: 'tag:doorbraak-ledger,2026:problem/validation', title: 'The request is not valid', status: 400, errors: [{ pointer: '#/municipality', detail: 'must be a CBS municipality code such as gm0363' }] } },
      '404': { description: 'In production, or when an identity provider issues tokens', example: { type: 'about:blank', title: 'Cannot POST /v1/development-tokens', status: 404 } },
    },
  },
];
