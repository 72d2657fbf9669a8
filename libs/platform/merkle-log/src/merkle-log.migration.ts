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

/**
 * The tree as C2SP tlog-tiles (one row per tile, its current width; a partial tile is rewritten as it grows), built
 * here for a log that was integrated before tiles existed: level 0 from the stored leaf hashes, each level above
 * from the roots of the full tiles below it.
 */
export const merkleTilesSchema: Migration = {
  id: '0201-merkle-tiles',
  sql: (s) => `
CREATE TABLE ${s}.log_tiles (
  level smallint NOT NULL,
  tile_index bigint NOT NULL,
  hashes bytea NOT NULL CHECK (length(hashes) BETWEEN 32 AND 8192 AND length(hashes) % 32 = 0),
  PRIMARY KEY (level, tile_index)
);
CREATE FUNCTION ${s}.log_tile_root(hashes bytea) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  next bytea;
BEGIN
  WHILE length(hashes) > 32 LOOP
    next := ''::bytea;
    FOR i IN 0 .. length(hashes) / 64 - 1 LOOP
      next := next || sha256('\\x01'::bytea || substring(hashes FROM i * 64 + 1 FOR 64));
    END LOOP;
    hashes := next;
  END LOOP;
  RETURN hashes;
END $$;
INSERT INTO ${s}.log_tiles (level, tile_index, hashes)
SELECT 0, log_index / 256, string_agg(leaf_hash, ''::bytea ORDER BY log_index) FROM ${s}.log_entries GROUP BY log_index / 256;
DO $$
DECLARE
  lvl int := 1;
BEGIN
  LOOP
    INSERT INTO ${s}.log_tiles (level, tile_index, hashes)
    SELECT lvl, tile_index / 256, string_agg(${s}.log_tile_root(hashes), ''::bytea ORDER BY tile_index)
    FROM ${s}.log_tiles WHERE level = lvl - 1 AND length(hashes) = 8192 GROUP BY tile_index / 256;
    EXIT WHEN NOT FOUND;
    lvl := lvl + 1;
  END LOOP;
END $$;
DROP FUNCTION ${s}.log_tile_root(bytea);
`,
};

/** Nothing read the signing time of a checkpoint, and nothing could check it: a column nobody reads is gone. */
export const checkpointsWithoutSignedAt: Migration = {
  id: '0202-checkpoints-without-signed-at',
  sql: (s) => `ALTER TABLE ${s}.log_checkpoints DROP COLUMN signed_at;`,
};

/**
 * What the witnesses said: each cosignature line with the checkpoint size it cosigns, and per witness the size it
 * last cosigned (or told us it holds), the failed attempts since, when to try again and why the last one failed.
 */
export const logCosignaturesSchema: Migration = {
  id: '0203-log-cosignatures',
  sql: (s) => `
CREATE TABLE ${s}.log_cosignatures (
  size bigint NOT NULL REFERENCES ${s}.log_checkpoints (size),
  witness text NOT NULL,
  cosignature text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (size, witness)
);
CREATE TABLE ${s}.log_witnesses (
  witness text PRIMARY KEY,
  known_size bigint NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error text
);
`,
};
