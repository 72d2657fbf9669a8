import type { Migration } from '@doorbraak/sql';

/**
 * Events carry the id of the transaction that wrote them (`tx_id`). Global reads only return events whose
 * transaction is older than every transaction still running and order by (tx_id, global_position), so an event
 * that commits late can never sort before a position a reader has already passed. See ADR 0003.
 */
export const eventStoreSchema: Migration = {
  id: '0001-event-store',
  sql: (s) => `
CREATE TABLE ${s}.streams (
  stream_id text PRIMARY KEY,
  category text NOT NULL,
  version bigint NOT NULL CHECK (version > 0)
);

CREATE TABLE ${s}.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id uuid NOT NULL,
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  category text NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  tenant text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);
CREATE INDEX events_log_order ON ${s}.events (tx_id, global_position);
CREATE INDEX events_category_log_order ON ${s}.events (category, tx_id, global_position);

CREATE FUNCTION ${s}.reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are immutable' USING ERRCODE = 'LD001';
END $$;
CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.events
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_change();

CREATE TABLE ${s}.consumer_checkpoints (
  consumer text PRIMARY KEY,
  position text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One round trip per append. p_expected is 'any', 'no_stream', 'stream_exists' or a version number.
-- Returns the stored rows; replayed = true when every event id was stored before (an idempotent retry).
CREATE FUNCTION ${s}.append_events(p_stream text, p_category text, p_expected text, p_events jsonb)
RETURNS TABLE (stream_id text, stream_version bigint, global_position bigint, tx_id xid8, replayed boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  n bigint := jsonb_array_length(p_events);
  v_base bigint;
  v_actual bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM ${s}.events e
             WHERE e.event_id IN (SELECT (x->>'eventId')::uuid FROM jsonb_array_elements(p_events) x)) THEN
    RETURN QUERY
      SELECT e.stream_id, e.stream_version, e.global_position, e.tx_id, true
      FROM jsonb_array_elements(p_events) WITH ORDINALITY x(ev, ord)
      LEFT JOIN ${s}.events e ON e.event_id = (x.ev->>'eventId')::uuid
      ORDER BY x.ord;
    RETURN;
  END IF;

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
