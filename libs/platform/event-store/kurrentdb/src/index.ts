export { KurrentDbEventStore, type KurrentClientLike, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';
export type { LiveSubscription } from './append-watch';
export { fromKurrentPosition, toKurrentPosition } from './kurrentdb-mapping';
