import type { SqlClient } from './sql-client';

/** A forward-only schema change. `sql` receives the schema name; ids sort in the order they apply. */
export interface Migration {
  readonly id: string;
  readonly sql: (schema: string) => string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Applies the migrations not yet recorded in `<schema>.schema_migrations`, each in its own transaction, under a
 * table lock so that two processes starting together do not both apply one.
 * @returns the ids it applied.
 */
export async function migrate(client: SqlClient, schema: string, migrations: readonly Migration[]): Promise<string[]> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length || ids.some((id, i) => i > 0 && id <= ids[i - 1]!)) {
    throw new Error('migration ids must be unique and ascending');
  }
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await client.transaction(async (tx) => {
      await tx.query(`LOCK TABLE ${schema}.schema_migrations IN EXCLUSIVE MODE`);
      const seen = await tx.query(`SELECT 1 FROM ${schema}.schema_migrations WHERE id = $1`, [migration.id]);
      if (seen.rowCount > 0) return false;
      await tx.exec(migration.sql(schema));
      await tx.query(`INSERT INTO ${schema}.schema_migrations (id) VALUES ($1)`, [migration.id]);
      return true;
    });
    if (done) applied.push(migration.id);
  }
  return applied;
}
