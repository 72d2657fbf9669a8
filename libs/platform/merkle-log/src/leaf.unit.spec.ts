import type { JsonObject, RecordedEvent } from '@doorbraak/event-store';
import { canonicalJson } from '@doorbraak/merkle';
import fc from 'fast-check';
import { leafBytes, leafJson } from './leaf';

/** Leaf format version 1 as its definition reads: the canonical JSON of the whole envelope. */
function envelope(event: RecordedEvent, logIndex: number, commitment: string | null): string {
  const { personal: _personal, ...facts } = event.data;
  return canonicalJson({
    v: 1,
    logIndex,
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: Number(event.streamVersion),
    globalPosition: event.globalPosition.toString(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    recordedAt: event.recordedAt.toISOString(),
    metadata: event.metadata,
    data: facts,
    ...(commitment ? { personal: { commitment } } : {}),
  });
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const json = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as JsonObject);
const event = fc.record({
  eventId: fc.uuid(),
  type: text,
  schemaVersion: fc.integer({ min: 1, max: 9 }),
  streamId: text,
  streamVersion: fc.bigInt({ min: 1n, max: 1n << 40n }),
  globalPosition: fc.bigInt({ min: 1n, max: 1n << 60n }),
  recordedAt: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
  data: fc.tuple(fc.dictionary(text, json), fc.option(json, { nil: undefined })).map(([facts, personal]) => (personal === undefined ? facts : { ...facts, personal })),
  metadata: fc.record({ actor: text, correlationId: fc.uuid(), tenant: text, subject: fc.option(text, { nil: undefined }) }, { requiredKeys: ['actor', 'correlationId', 'tenant'] }),
});

describe('leaf bytes, version 1', () => {
  it('are the canonical JSON of the envelope, for any event, index and commitment', () => {
    fc.assert(
      fc.property(event, fc.nat(), fc.option(fc.base64String({ minLength: 4, maxLength: 44 }), { nil: null }), (e, logIndex, commitment) => {
        const recorded = { ...e, category: '', logPosition: '0/0' } as unknown as RecordedEvent;
        const expected = envelope(recorded, logIndex, commitment);
        expect(leafJson(recorded, logIndex, commitment)).toBe(expected);
        expect(leafBytes(recorded, logIndex, commitment).equals(Buffer.from(expected, 'utf8'))).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it('leave the personal part out, whatever it holds, and carry only its commitment', () => {
    const recorded = { eventId: '7b0f0c3e-6a43-4c1b-9f55-0d3b1d7e6a10', type: 'x', schemaVersion: 1, streamId: 's-1', category: 's', streamVersion: 1n, globalPosition: 1n, logPosition: '0/0', recordedAt: new Date(0), metadata: { actor: 'a', correlationId: 'c', tenant: 't' }, data: { a: 1, personal: { name: 'geheim' } } } as unknown as RecordedEvent;
    expect(leafJson(recorded, 0, 'Yw==')).toBe(
      '{"data":{"a":1},"eventId":"7b0f0c3e-6a43-4c1b-9f55-0d3b1d7e6a10","globalPosition":"1","logIndex":0,"metadata":{"actor":"a","correlationId":"c","tenant":"t"},"personal":{"commitment":"Yw=="},"recordedAt":"1970-01-01T00:00:00.000Z","schemaVersion":1,"streamId":"s-1","streamVersion":1,"type":"x","v":1}',
    );
  });
});
