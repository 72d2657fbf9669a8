import { randomBytes } from 'node:crypto';

/** The PostgreSQL server of the `.pg.` test tier (started by the jest global setup). */
export function postgresUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set: the PostgreSQL tier runs under the jest global setup');
  return url;
}

/** A schema name no other test uses, so tests can share one database without seeing each other's rows. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
