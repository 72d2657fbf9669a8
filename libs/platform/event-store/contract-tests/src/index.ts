export { describeEventStoreContract, anEvent, type EventStoreHarness, type HeldAppend } from './event-store.contract';
export { describeAppendUnits } from './append-units.contract';
