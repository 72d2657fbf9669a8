import { Controller, Get, Header } from '@nestjs/common';
import { buildOpenApiDocument } from './openapi.document';
import { healthRoutes } from '../health/health.routes';
import { projectionRoutes } from '../projections/projections.routes';
import { developmentTokenRoutes } from '../development-tokens/development-tokens.routes';
import type { RouteDoc } from './route-doc';
import { ledgerRoutes } from './ledger.routes';
import { API_VERSION } from '../http/api-version';
import { Public } from '../auth/permit';

const openApiRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    tags: ['meta'],
    public: true,
    responses: { '200': { description: 'The OpenAPI 3.1 document', example: { openapi: '3.1.0' } } },
  },
];

export const allRoutes: readonly RouteDoc[] = [...healthRoutes, ...openApiRoutes, ...developmentTokenRoutes, ...projectionRoutes, ...ledgerRoutes];

@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = buildOpenApiDocument(allRoutes, API_VERSION);

  @Get()
  @Public()
  @Header('cache-control', 'no-cache')
  get(): Record<string, unknown> {
    return this.document;
  }
}
