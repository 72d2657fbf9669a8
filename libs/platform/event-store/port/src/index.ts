export * from './log-position';
export * from './event';
export * from './errors';
export type * from './event-store.port';
export { validateAppend } from './validate-append';
export { catchUp, type CatchUpOptions, pause } from './catch-up';
export { Backoff } from './backoff';
export { type Projection, type ReadModels, defineProjection } from './projection.port';
export { readAllEvents, untilVisible } from './read-helpers';
