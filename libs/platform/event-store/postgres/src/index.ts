export { PostgresEventStore, eventStoreMigrations, type PostgresEventStoreOptions } from './postgres-event-store';
