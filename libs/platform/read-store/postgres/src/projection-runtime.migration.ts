import type { Migration } from '@doorbraak/sql';

/**
 * One row per generation of a projection. A generation is built from the start of the log into its own table;
 * once caught up it becomes `live` and the previous live generation is retired (blue/green). The lease columns
 * keep one runner per generation without relying on advisory locks, and the checkpoint (`position`) only moves
 * by compare-and-set together with the generation's rows.
 */
export const projectionRuntimeSchema: Migration = {
  id: '0100-projection-runtime',
  sql: (s) => `
CREATE TABLE ${s}.projection_generations (
  name text NOT NULL,
  generation integer NOT NULL,
  version integer NOT NULL,
  table_name text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('building', 'live', 'retired')),
  position text NOT NULL,
  events_applied bigint NOT NULL DEFAULT 0,
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  live_since timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, generation)
);
CREATE UNIQUE INDEX projection_generations_one_live ON ${s}.projection_generations (name) WHERE status = 'live';
`,
};
