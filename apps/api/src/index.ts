export { createApp } from './app';
export { apiConfigSchema, type ApiConfig } from './config';
export { allRoutes } from './openapi/openapi.controller';
