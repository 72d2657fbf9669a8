import { findPostgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres';

declare global {
  var __throwawayPostgres: ThrowawayPostgres | undefined;
}

/**
 * Gives the PostgreSQL test tier a server: DATABASE_URL when set, otherwise a throwaway cluster started from the
 * local binaries. jest.config.js has already left the PostgreSQL tier out when neither exists outside CI.
 */
export default function setup(): void {
  if (process.env['DATABASE_URL'] || process.env['LEDGER_TEST_POSTGRES'] === 'absent') return;
  const bin = findPostgresBinaries();
  if (!bin) throw new Error('PostgreSQL binaries not found (initdb on PATH or under /usr/lib/postgresql/*/bin)');
  globalThis.__throwawayPostgres = startThrowawayPostgres(bin);
  process.env['DATABASE_URL'] = globalThis.__throwawayPostgres.url;
}
