import { PGlite } from '@electric-sql/pglite';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SqlClient, SqlResult } from './sql-client';
import { toSqlError } from './sql-client';

interface PgliteAssets {
  readonly pgliteWasmModule: WebAssembly.Module;
  readonly initdbWasmModule: WebAssembly.Module;
  readonly fsBundle: Blob;
}

let assets: Promise<PgliteAssets> | undefined;

// Compiling the WASM once per process makes every further instance cheaper, and handing the assets over
// spares PGlite its own dynamic imports (which jest's module sandbox cannot run).
function loadAssets(): Promise<PgliteAssets> {
  assets ??= (async () => {
    const dir = dirname(require.resolve('@electric-sql/pglite'));
    const [pglite, initdb, bundle] = await Promise.all(
      ['pglite.wasm', 'initdb.wasm', 'pglite.data'].map((file) => readFile(join(dir, file))),
    );
    return {
      pgliteWasmModule: await WebAssembly.compile(pglite!),
      initdbWasmModule: await WebAssembly.compile(initdb!),
      fsBundle: new Blob([bundle!]),
    };
  })();
  return assets;
}

/**
 * Embedded PostgreSQL (WASM). `dataDir` keeps the database in a directory; `memory://` keeps it in memory.
 * PGlite has one connection, so transactions run one after another.
 */
export async function openPglite(dataDir: string): Promise<SqlClient> {
  const db = await PGlite.create({ ...(await loadAssets()), ...(dataDir === 'memory://' ? {} : { dataDir }) });
  const run = async <Row>(on: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]): Promise<SqlResult<Row>> => {
    try {
      const result = await on.query<Row>(sql, params as unknown[] | undefined);
      // affectedRows counts INSERT/UPDATE/DELETE only; a SELECT reports 0 there.
      return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
    } catch (error) {
      throw toSqlError(error);
    }
  };
  const exec = async (on: Pick<PGlite, 'exec'>, sql: string): Promise<void> => {
    try {
      await on.exec(sql);
    } catch (error) {
      throw toSqlError(error);
    }
  };
  return {
    driver: 'pglite',
    concurrentTransactions: false,
    query: (sql, params) => run(db, sql, params),
    exec: (sql) => exec(db, sql),
    transaction: (work) =>
      db.transaction((tx) => work({ query: (sql, params) => run(tx, sql, params), exec: (sql) => exec(tx, sql) })).catch((error: unknown) => {
        throw toSqlError(error);
      }),
    close: () => db.close(),
  };
}
