import type { Migration } from '@doorbraak/sql';

/**
 * Group commit: `append_batch` runs several appends in one statement, so in one transaction and one commit.
 * Each append runs in its own subtransaction with its own expected version: a conflict (LD409) or a stored event
 * id (23505) undoes and reports only that append, as `append_events` alone would have failed. Rows come back per
 * append (`ord`, from 1), either its events or its error. See ADR 0017.
 */
export const groupCommit: Migration = {
  id: '0004-group-commit',
  sql: (s) => `
CREATE FUNCTION ${s}.append_batch(p_appends jsonb)
RETURNS TABLE (ord integer, stream_version bigint, global_position bigint, tx_id xid8, error_state text, error_detail text, error_constraint text)
LANGUAGE plpgsql AS $$
DECLARE
  a jsonb;
  i integer := 0;
  v_state text;
  v_detail text;
  v_constraint text;
BEGIN
  FOR a IN SELECT x.value FROM jsonb_array_elements(p_appends) x LOOP
    i := i + 1;
    BEGIN
      RETURN QUERY SELECT i, r.stream_version, r.global_position, r.tx_id, NULL::text, NULL::text, NULL::text
        FROM ${s}.append_events(a->>'stream', a->>'expected', a->'events') r;
    EXCEPTION WHEN SQLSTATE 'LD409' OR unique_violation THEN
      GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL, v_constraint = CONSTRAINT_NAME;
      RETURN QUERY SELECT i, NULL::bigint, NULL::bigint, NULL::xid8, v_state, v_detail, v_constraint;
    END;
  END LOOP;
END $$;
`,
};
