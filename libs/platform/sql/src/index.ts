export type { SqlClient, SqlExecutor, SqlResult } from './sql-client';
export { SqlError } from './sql-client';
export { connectPostgres, type PostgresClientOptions } from './postgres-client';
export { openPglite } from './pglite-client';
export { migrate, type Migration } from './migrate';
