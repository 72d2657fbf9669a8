import type { Migration } from '@doorbraak/sql';

/**
 * Events keep no column that a read could use instead of what their Merkle leaf covers (ADR 0008): the category
 * is read from the stream id (an expression index serves the category filter), the tenant from the metadata.
 * Both stored copies are gone, so changing one can no longer hide an event from a read while `ledger verify`
 * still agrees. `append_events` takes no category any more and no longer returns the always-false `replayed`.
 */
export const columnsTheLogCovers: Migration = {
  id: '0003-columns-the-log-covers',
  sql: (s) => `
ALTER TABLE ${s}.events DROP COLUMN category, DROP COLUMN tenant;
ALTER TABLE ${s}.streams DROP COLUMN category;
CREATE INDEX events_category_log_order ON ${s}.events (split_part(stream_id, '-', 1), tx_id, global_position);

DROP FUNCTION ${s}.append_events(text, text, text, jsonb);
CREATE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (stream_id text, stream_version bigint, global_position bigint, tx_id xid8)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  n bigint := jsonb_array_length(p_events);
  v_base bigint;
  v_actual bigint;
BEGIN
  IF p_expected = 'any' THEN
    INSERT INTO ${s}.streams AS st (stream_id, version) VALUES (p_stream, n)
      ON CONFLICT ON CONSTRAINT streams_pkey DO UPDATE SET version = st.version + n
      RETURNING st.version - n INTO v_base;
  ELSIF p_expected IN ('no_stream', '0') THEN
    INSERT INTO ${s}.streams AS st (stream_id, version) VALUES (p_stream, n)
      ON CONFLICT ON CONSTRAINT streams_pkey DO NOTHING
      RETURNING 0 INTO v_base;
  ELSIF p_expected = 'stream_exists' THEN
    UPDATE ${s}.streams st SET version = st.version + n WHERE st.stream_id = p_stream
      RETURNING st.version - n INTO v_base;
  ELSE
    UPDATE ${s}.streams st SET version = st.version + n
      WHERE st.stream_id = p_stream AND st.version = p_expected::bigint
      RETURNING st.version - n INTO v_base;
  END IF;

  IF v_base IS NULL THEN
    SELECT st.version INTO v_actual FROM ${s}.streams st WHERE st.stream_id = p_stream;
    RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'LD409', DETAIL = coalesce(v_actual, 0)::text;
  END IF;

  RETURN QUERY
    INSERT INTO ${s}.events AS e (event_id, stream_id, stream_version, type, schema_version, data, metadata)
    SELECT (x.ev->>'eventId')::uuid, p_stream, v_base + x.ord, x.ev->>'type',
           (x.ev->>'schemaVersion')::integer, x.ev->'data', x.ev->'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY x(ev, ord)
    ORDER BY x.ord
    RETURNING e.stream_id, e.stream_version, e.global_position, e.tx_id;
END $$;
`,
};
