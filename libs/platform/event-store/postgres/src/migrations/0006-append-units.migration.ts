import type { Migration } from '@doorbraak/sql';

/**
 * `append_units` appends several units in one statement: a unit is one or more stream appends that are stored
 * together or not at all (a plan and the spends it makes of its budgets, say). Each unit runs in its own
 * subtransaction and each of its appends through `append_events` with its own expected version, in the order
 * given, so a unit may expect what an earlier unit of the statement left. A conflict (LD409) or a stored event id
 * (23505) undoes that unit only and is reported as one row with its `ord` and the `part` that failed; rows of its
 * appends before that part may precede the error row and count for nothing. See ADR 0023.
 */
export const appendUnits: Migration = {
  id: '0006-append-units',
  sql: (s) => `
CREATE FUNCTION ${s}.append_units(p_units jsonb)
RETURNS TABLE (ord integer, part integer, stream_version bigint, global_position bigint, tx_id xid8, error_state text, error_detail text, error_constraint text)
LANGUAGE plpgsql AS $$
DECLARE
  u jsonb;
  a jsonb;
  i integer := 0;
  k integer;
  v_state text;
  v_detail text;
  v_constraint text;
BEGIN
  FOR u IN SELECT x.value FROM jsonb_array_elements(p_units) x LOOP
    i := i + 1;
    k := 0;
    BEGIN
      FOR a IN SELECT y.value FROM jsonb_array_elements(u) y LOOP
        k := k + 1;
        RETURN QUERY SELECT i, k, r.stream_version, r.global_position, r.tx_id, NULL::text, NULL::text, NULL::text
          FROM ${s}.append_events(a->>'stream', a->>'expected', a->'events') r;
      END LOOP;
    EXCEPTION WHEN SQLSTATE 'LD409' OR unique_violation THEN
      GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL, v_constraint = CONSTRAINT_NAME;
      RETURN QUERY SELECT i, k, NULL::bigint, NULL::bigint, NULL::xid8, v_state, v_detail, v_constraint;
    END;
  END LOOP;
END $$;
`,
};
