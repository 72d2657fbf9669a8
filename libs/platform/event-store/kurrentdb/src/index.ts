export {
  KurrentDbEventStore,
  type KurrentClientLike,
  type KurrentDbEventStoreOptions,
  fromKurrentPosition,
  toKurrentPosition,
  toStreamState,
  toVersion,
  toEventData,
} from './kurrentdb-event-store';
