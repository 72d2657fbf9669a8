export { findPostgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres';
export { postgresUrl, uniqueSchema } from './databases';
export { DeciderSpecification } from './decider-specification';
