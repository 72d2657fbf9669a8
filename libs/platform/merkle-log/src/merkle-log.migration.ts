import type { Migration } from '@doorbraak/sql';

/**
 * The verifiable log over all events: a gap-free log index per event in global read order with its RFC 6962
 * leaf hash, the right edge of the tree (perfect-subtree roots) so each new event costs O(log n), signed
 * checkpoints, and the salts of the commitments to personal data (deletable, see leaf.ts).
 */
export const merkleLogSchema: Migration = {
  id: '0200-merkle-log',
  sql: (s) => `
CREATE TABLE ${s}.log_entries (
  log_index bigint PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  leaf_hash bytea NOT NULL,
  personal_commitment text
);
CREATE TABLE ${s}.log_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  size bigint NOT NULL,
  position text NOT NULL,
  frontier bytea[] NOT NULL
);
INSERT INTO ${s}.log_state (size, position, frontier) VALUES (0, '00000000000000000000-00000000000000000000', '{}');
CREATE TABLE ${s}.personal_salts (
  event_id uuid PRIMARY KEY,
  salt bytea NOT NULL
);
CREATE TABLE ${s}.log_checkpoints (
  size bigint PRIMARY KEY,
  root bytea NOT NULL,
  note text NOT NULL,
  reason text NOT NULL,
  signed_at timestamptz NOT NULL DEFAULT now()
);
`,
};

/** Nothing read the signing time of a checkpoint, and nothing could check it: a column nobody reads is gone. */
export const checkpointsWithoutSignedAt: Migration = {
  id: '0201-checkpoints-without-signed-at',
  sql: (s) => `ALTER TABLE ${s}.log_checkpoints DROP COLUMN signed_at;`,
};
