export { describeEventStoreContract, anEvent, type EventStoreHarness, type HeldAppend } from './event-store.contract';
