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

/**
 * The change feed of live projections: every row a batch changed, written in the batch's transaction. Like the
 * event log it is read below the oldest running transaction and in (tx_id, seq) order, so a subscriber never
 * skips a late commit. A `reset` record starts a new generation, followed by a snapshot of all its rows.
 */
export const projectionChangesSchema: Migration = {
  id: '0101-projection-changes',
  sql: (s) => `
CREATE TABLE ${s}.projection_changes (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  projection text NOT NULL,
  generation integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('upsert', 'delete', 'reset')),
  key text,
  doc jsonb,
  source_position text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projection_changes_feed ON ${s}.projection_changes (projection, tx_id, seq);
`,
};
