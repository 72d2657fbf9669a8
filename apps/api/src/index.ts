export { createApp } from './app';
export { apiConfigSchema, type ApiConfig } from './config';
