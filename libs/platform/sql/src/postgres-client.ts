import { Pool, type PoolClient } from 'pg';
import { createHash } from 'node:crypto';
import type { QueryOptions, SqlClient, SqlExecutor, SqlResult } from './sql-client';
import { toSqlError } from './sql-client';

export interface PostgresClientOptions {
  readonly connectionString: string;
  readonly maxConnections?: number;
  readonly applicationName?: string;
}

/** A `pg` pool. Sessions that sit idle inside a transaction are ended, so they cannot hold back log readers. */
export function connectPostgres(options: PostgresClientOptions): SqlClient {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'doorbraak-ledger',
    options: '-c idle_in_transaction_session_timeout=60000',
  });
  // An idle client that loses its connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  // A prepared statement's name is derived from its text, so that every connection knows it by the same name.
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (name === undefined) names.set(sql, (name = `s${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`));
    return name;
  };
  const run = async <Row>(on: Pool | PoolClient, sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<SqlResult<Row>> => {
    try {
      const values = params as unknown[] | undefined;
      const result = await (options?.prepare ? on.query({ name: nameOf(sql), text: sql, values }) : on.query(sql, values));
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw toSqlError(error);
    }
  };
  const exec = async (on: Pool | PoolClient, sql: string): Promise<void> => {
    await run(on, sql);
  };
  return {
    driver: 'postgres',
    concurrentTransactions: true,
    query: (sql, params, options) => run(pool, sql, params, options),
    exec: (sql) => exec(pool, sql),
    async transaction(work) {
      const client = await pool.connect();
      const tx: SqlExecutor = { query: (sql, params, options) => run(client, sql, params, options), exec: (sql) => exec(client, sql) };
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw toSqlError(error);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
