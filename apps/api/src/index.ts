export { createApp } from './app';
export { apiConfigSchema, type ApiConfig } from './config';
export { allRoutes } from './openapi/openapi.controller';
export type { RouteDoc } from './openapi/route-doc';
