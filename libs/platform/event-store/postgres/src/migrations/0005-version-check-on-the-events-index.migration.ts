import type { Migration } from '@doorbraak/sql';

/**
 * The expected version is checked on the events' unique index (stream_id, stream_version): the append inserts
 * its first event at the version after the one it expects, with ON CONFLICT DO NOTHING, and no row inserted
 * means another append holds that version (or the event id is stored). The `streams` row is gone from the append
 * path and from the schema; a stream's version is its highest stored event.
 *
 * Versions of a stream stay gapless: an append's first event goes right after a version that is committed (the
 * one expected, or the highest visible), and while it is uncommitted it holds the next version, so the rest of the
 * append cannot meet a competing row. A conflict is an outcome, not an error, so `append_batch` needs no
 * subtransaction per append; an unexpected error fails the whole group, which the adapter then runs append by
 * append. 'any' and 'stream_exists' read the highest version again after losing a race, as the stream row's
 * UPDATE waited for the row before. See ADR 0017.
 */
export const versionCheckOnTheEventsIndex: Migration = {
  id: '0005-version-check-on-the-events-index',
  sql: (s) => `
CREATE FUNCTION ${s}.try_append(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (stream_version bigint, global_position bigint, tx_id xid8, error_state text, error_detail text, error_constraint text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_first jsonb := p_events->0;
  v_base bigint;
  v_version bigint;
  v_position bigint;
  v_tx xid8;
BEGIN
  LOOP
    IF p_expected IN ('no_stream', '0') THEN
      v_base := 0;
    ELSIF p_expected IN ('any', 'stream_exists') THEN
      SELECT max(e.stream_version) INTO v_base FROM ${s}.events e WHERE e.stream_id = p_stream;
      IF v_base IS NULL AND p_expected = 'any' THEN v_base := 0; END IF;
    ELSE
      SELECT e.stream_version INTO v_base FROM ${s}.events e WHERE e.stream_id = p_stream AND e.stream_version = p_expected::bigint;
    END IF;

    IF v_base IS NOT NULL THEN
      INSERT INTO ${s}.events AS e (event_id, stream_id, stream_version, type, schema_version, data, metadata)
      VALUES ((v_first->>'eventId')::uuid, p_stream, v_base + 1, v_first->>'type', (v_first->>'schemaVersion')::integer, v_first->'data', v_first->'metadata')
      ON CONFLICT DO NOTHING
      RETURNING e.stream_version, e.global_position, e.tx_id INTO v_version, v_position, v_tx;
      EXIT WHEN v_version IS NOT NULL;
      IF EXISTS (SELECT 1 FROM ${s}.events e WHERE e.event_id = (v_first->>'eventId')::uuid) THEN
        RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::xid8, '23505', NULL::text, 'events_event_id_unique';
        RETURN;
      END IF;
    END IF;

    IF v_base IS NULL OR p_expected NOT IN ('any', 'stream_exists') THEN
      RETURN QUERY SELECT NULL::bigint, NULL::bigint, NULL::xid8, 'LD409', coalesce(max(e.stream_version), 0)::text, NULL::text
        FROM ${s}.events e WHERE e.stream_id = p_stream;
      RETURN;
    END IF;
  END LOOP;

  RETURN QUERY SELECT v_version, v_position, v_tx, NULL::text, NULL::text, NULL::text;
  IF jsonb_array_length(p_events) > 1 THEN
    RETURN QUERY
      INSERT INTO ${s}.events AS e (event_id, stream_id, stream_version, type, schema_version, data, metadata)
      SELECT (x.ev->>'eventId')::uuid, p_stream, v_version + x.ord - 1, x.ev->>'type',
             (x.ev->>'schemaVersion')::integer, x.ev->'data', x.ev->'metadata'
      FROM jsonb_array_elements(p_events) WITH ORDINALITY x(ev, ord)
      WHERE x.ord > 1
      ORDER BY x.ord
      RETURNING e.stream_version, e.global_position, e.tx_id, NULL::text, NULL::text, NULL::text;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (stream_id text, stream_version bigint, global_position bigint, tx_id xid8)
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM ${s}.try_append(p_stream, p_expected, p_events) LOOP
    IF r.error_state = 'LD409' THEN
      RAISE EXCEPTION 'wrong expected version' USING ERRCODE = 'LD409', DETAIL = r.error_detail;
    ELSIF r.error_state IS NOT NULL THEN
      RAISE EXCEPTION 'event id already stored' USING ERRCODE = 'unique_violation', CONSTRAINT = r.error_constraint;
    END IF;
    stream_id := p_stream;
    stream_version := r.stream_version;
    global_position := r.global_position;
    tx_id := r.tx_id;
    RETURN NEXT;
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION ${s}.append_batch(p_appends jsonb)
RETURNS TABLE (ord integer, stream_version bigint, global_position bigint, tx_id xid8, error_state text, error_detail text, error_constraint text)
LANGUAGE plpgsql AS $$
DECLARE
  a jsonb;
  i integer := 0;
BEGIN
  FOR a IN SELECT x.value FROM jsonb_array_elements(p_appends) x LOOP
    i := i + 1;
    RETURN QUERY SELECT i, r.* FROM ${s}.try_append(a->>'stream', a->>'expected', a->'events') r;
  END LOOP;
END $$;

DROP TABLE ${s}.streams;
`,
};
