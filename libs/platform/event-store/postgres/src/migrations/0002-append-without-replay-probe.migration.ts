import type { Migration } from '@doorbraak/sql';

/**
 * The append no longer looks up its event ids before writing. A retry of a stored append still fails, on the
 * expected version (LD409) or on the unique event id (23505), and the adapter then reads the original back
 * (`findOriginal`); an append that is not a retry saves a probe of the event-id index. `replayed` stays in the
 * result type (a function's result type cannot change in place) and is always false.
 */
export const appendWithoutReplayProbe: Migration = {
  id: '0002-append-without-replay-probe',
  sql: (s) => `
CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_category text, p_expected text, p_events jsonb)
RETURNS TABLE (stream_id text, stream_version bigint, global_position bigint, tx_id xid8, replayed boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  n bigint := jsonb_array_length(p_events);
  v_base bigint;
  v_actual bigint;
BEGIN
  IF p_expected = 'any' THEN
    INSERT INTO ${s}.streams AS st (stream_id, category, version) VALUES (p_stream, p_category, n)
      ON CONFLICT ON CONSTRAINT streams_pkey DO UPDATE SET version = st.version + n
      RETURNING st.version - n INTO v_base;
  ELSIF p_expected IN ('no_stream', '0') THEN
    INSERT INTO ${s}.streams AS st (stream_id, category, version) VALUES (p_stream, p_category, n)
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
    INSERT INTO ${s}.events AS e (event_id, stream_id, stream_version, category, type, schema_version, tenant, data, metadata)
    SELECT (x.ev->>'eventId')::uuid, p_stream, v_base + x.ord, p_category, x.ev->>'type',
           (x.ev->>'schemaVersion')::integer, x.ev->'metadata'->>'tenant', x.ev->'data', x.ev->'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY x(ev, ord)
    ORDER BY x.ord
    RETURNING e.stream_id, e.stream_version, e.global_position, e.tx_id, false;
END $$;
`,
};
