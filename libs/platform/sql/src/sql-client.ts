export interface SqlResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

export interface QueryOptions {
  /**
   * Keep the statement prepared on each connection that runs it, so it is parsed and planned once: for the few
   * statements a process runs all the time (appends, log reads, page commits), whose text never varies with
   * the data. PGlite runs in process and ignores it.
   */
  readonly prepare?: boolean;
}

/** Runs statements; inside `transaction` every statement shares one transaction. */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<SqlResult<Row>>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

/**
 * One facade over a PostgreSQL server (`pg`) and embedded PGlite, so that the event store, the migrations and
 * the projection runtime run the same SQL on both.
 */
export interface SqlClient extends SqlExecutor {
  readonly driver: 'postgres' | 'pglite';
  /** Whether separate transactions can be open at the same time (false on PGlite: one connection). */
  readonly concurrentTransactions: boolean;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown for driver errors, carrying the SQLSTATE so adapters can map them. */
export class SqlError extends Error {
  constructor(
    message: string,
    readonly sqlState: string | undefined,
    readonly constraint: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
  }
}

export function toSqlError(error: unknown): unknown {
  if (error instanceof SqlError || !(error instanceof Error)) return error;
  const e = error as Error & { code?: unknown; constraint?: unknown; detail?: unknown };
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return error;
  return new SqlError(
    e.message,
    e.code,
    typeof e.constraint === 'string' ? e.constraint : undefined,
    typeof e.detail === 'string' ? e.detail : undefined,
  );
}
