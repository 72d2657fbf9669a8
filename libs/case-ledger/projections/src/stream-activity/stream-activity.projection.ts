import type { JsonObject, Projection, RecordedEvent } from '@doorbraak/event-store';

/** Per stream category: how many streams and events there are, by event type, and when the last arrived. */
export interface StreamActivityRow extends JsonObject {
  category: string;
  streams: number;
  events: number;
  byType: Record<string, number>;
  lastRecordedAt: string;
}

export const streamActivityProjection: Projection<StreamActivityRow> = {
  name: 'stream_activity',
  version: 1,
  filter: {},
  keysOf: (event: RecordedEvent) => [event.category],
  evolve(row, event) {
    const current: StreamActivityRow = row ?? { category: event.category, streams: 0, events: 0, byType: {}, lastRecordedAt: '' };
    return {
      ...current,
      streams: current.streams + (event.streamVersion === 1n ? 1 : 0),
      events: current.events + 1,
      byType: { ...current.byType, [event.type]: (current.byType[event.type] ?? 0) + 1 },
      lastRecordedAt: event.recordedAt.toISOString(),
    };
  },
  columns: [
    "category text GENERATED ALWAYS AS (doc->>'category') STORED",
    "events bigint GENERATED ALWAYS AS ((doc->>'events')::bigint) STORED",
  ],
};
