import { START, type RecordedEvent } from '@doorbraak/event-store';
import { streamActivityProjection } from './stream-activity.projection';

const event = (streamId: string, streamVersion: bigint, type: string, at: string): RecordedEvent => ({
  eventId: `e-${streamId}-${streamVersion}`,
  type,
  schemaVersion: 1,
  streamId,
  category: streamId.split('-')[0]!,
  streamVersion,
  globalPosition: 1n,
  logPosition: START,
  recordedAt: new Date(at),
  data: {},
  metadata: { actor: 'a', correlationId: 'c', tenant: 't' },
});

const fold = (events: RecordedEvent[]) =>
  events.reduce((row, e) => streamActivityProjection.evolve(row, e, e.category, () => null), null as ReturnType<typeof streamActivityProjection.evolve>);

describe('stream activity projection', () => {
  it('keys rows by stream category', () => {
    expect(streamActivityProjection.keysOf(event('plan-1', 1n, 'PlanDrafted', '2026-01-01T00:00:00Z'))).toEqual(['plan']);
  });

  describe('given two plan streams', () => {
    it('counts each stream once, every event, per type, and keeps the latest time', () => {
      const row = fold([
        event('plan-1', 1n, 'PlanDrafted', '2026-01-01T00:00:00Z'),
        event('plan-1', 2n, 'PlanSubmitted', '2026-01-02T00:00:00Z'),
        event('plan-2', 1n, 'PlanDrafted', '2026-01-03T00:00:00Z'),
      ]);
      expect(row).toEqual({
        category: 'plan',
        streams: 2,
        events: 3,
        byType: { PlanDrafted: 2, PlanSubmitted: 1 },
        lastRecordedAt: '2026-01-03T00:00:00.000Z',
      });
    });
  });
});
