import fc from 'fast-check';
import { EventStoreAccessDeniedError, EventStoreUnavailableError, START, StreamDeletedError, logPosition, splitLogPosition } from '@doorbraak/event-store';
import { anEvent } from '@doorbraak/event-store-contract';
import { ErrorType, NO_STREAM, START as KURRENT_START, WrongExpectedVersionError as ClientWrongVersion } from '@kurrent/kurrentdb-client';
import { clientErrors, comparePositions } from './fake-kurrent-client.fixtures';
import { fromKurrentPosition, toEventData, toGlobalPosition, toKurrentPosition, toPortError, toStreamState, toVersion } from './kurrentdb-mapping';

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const position = fc.record({ commit: u64, prepare: u64 });
const sign = (n: number) => Math.sign(n);

describe('KurrentDB mapping', () => {
  describe('positions', () => {
    it('converts a {commit, prepare} pair to a LogPosition and back unchanged', () => {
      fc.assert(
        fc.property(
          position.filter((p) => p.commit !== 0n || p.prepare !== 0n),
          (p) => {
            expect(toKurrentPosition(fromKurrentPosition(p))).toEqual(p);
          },
        ),
      );
    });

    it('converts a LogPosition to a pair and back unchanged', () => {
      fc.assert(
        fc.property(u64, u64, (major, minor) => {
          const log = logPosition(major, minor);
          const kurrent = toKurrentPosition(log);
          expect(kurrent === KURRENT_START ? START : fromKurrentPosition(kurrent)).toBe(log);
        }),
      );
    });

    it('maps the start of the log to the client START, and position (0, 0) to START', () => {
      expect(toKurrentPosition(START)).toBe(KURRENT_START);
      expect(fromKurrentPosition({ commit: 0n, prepare: 0n })).toBe(START);
    });

    it('puts the commit position first, so a LogPosition reads (commit, prepare)', () => {
      expect(splitLogPosition(fromKurrentPosition({ commit: 1234n, prepare: 1200n }))).toEqual({ major: 1234n, minor: 1200n });
    });

    it('orders LogPositions as strings exactly as the server orders $all: by commit position, then prepare position', () => {
      fc.assert(
        fc.property(position, position, (a, b) => {
          const asStrings = fromKurrentPosition(a) < fromKurrentPosition(b) ? -1 : fromKurrentPosition(a) > fromKurrentPosition(b) ? 1 : 0;
          expect(asStrings).toBe(sign(comparePositions(a, b)));
        }),
      );
    });

    it('sorts an explicit transaction after an event with a lower commit position, though its records were written first', () => {
      // Transaction records at 100 and 300, an ordinary event at 200, the transaction's commit record at 400.
      const transaction = [
        { commit: 400n, prepare: 100n },
        { commit: 400n, prepare: 300n },
      ];
      const ordinary = { commit: 200n, prepare: 200n };
      const logOrder = [ordinary, ...transaction].map(fromKurrentPosition);
      expect([...logOrder].sort()).toEqual(logOrder);
      expect([...transaction, ordinary].map(toGlobalPosition)).toEqual([100n, 300n, 200n]);
    });

    it('takes the prepare position as the global position: unique per event where commit positions are shared', () => {
      expect(toGlobalPosition({ commit: 400n, prepare: 100n })).toBe(100n);
      expect(toGlobalPosition({ commit: 500n, prepare: 500n })).toBe(500n);
    });

    it('keeps every digit of the largest positions', () => {
      const max = 2n ** 64n - 1n;
      expect(fromKurrentPosition({ commit: max, prepare: max })).toBe('18446744073709551615-18446744073709551615');
      expect(toKurrentPosition(logPosition(max, max - 1n))).toEqual({ commit: max, prepare: max - 1n });
    });
  });

  describe('expected versions', () => {
    it('sends exact expectations as they are: version 0 and no_stream as "no stream", version n as revision n-1', () => {
      for (const current of [undefined, NO_STREAM, 5n] as const) {
        expect(toStreamState(0n, current)).toBe(NO_STREAM);
        expect(toStreamState('no_stream', current)).toBe(NO_STREAM);
        expect(toStreamState(1n, current)).toBe(0n);
        expect(toStreamState(42n, current)).toBe(41n);
      }
    });

    it('sends "any" as the revision read', () => {
      expect(toStreamState('any', NO_STREAM)).toBe(NO_STREAM);
      expect(toStreamState('any', 3n)).toBe(3n);
    });

    it('sends "stream exists" as the revision read, and nothing when the stream is absent', () => {
      expect(toStreamState('stream_exists', 3n)).toBe(3n);
      expect(toStreamState('stream_exists', NO_STREAM)).toBeUndefined();
    });

    it('sends nothing for "any" or "stream exists" without a revision read', () => {
      expect(toStreamState('any')).toBeUndefined();
      expect(toStreamState('stream_exists')).toBeUndefined();
    });

    it('maps current revisions back to versions', () => {
      expect(toVersion(NO_STREAM)).toBe(0n);
      expect(toVersion(0n)).toBe(1n);
      expect(toVersion(2n)).toBe(3n);
    });
  });

  describe('event data', () => {
    it('writes a JSON event with the event id and type, the data, and the metadata with schemaVersion', () => {
      const event = anEvent({ type: 'PlanDrafted', schemaVersion: 3 });
      expect(toEventData(event)).toMatchObject({
        id: event.eventId,
        type: 'PlanDrafted',
        contentType: 'application/json',
        data: event.data,
        metadata: { ...event.metadata, schemaVersion: 3 },
      });
    });
  });

  describe('errors', () => {
    it.each([
      ['not leader', clientErrors.notLeader()],
      ['unavailable', clientErrors.unavailable()],
      ['deadline exceeded', clientErrors.deadlineExceeded()],
      ['timeout', Object.assign(new Error('timed out'), { type: ErrorType.TIMEOUT })],
    ])('maps %s to EventStoreUnavailableError, keeping the cause', (_what, error) => {
      const mapped = toPortError(error, 'plan-1');
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect(mapped).toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE', cause: error });
    });

    it('maps access denied to EventStoreAccessDeniedError', () => {
      const error = clientErrors.accessDenied();
      expect(toPortError(error, 'plan-1')).toEqual(new EventStoreAccessDeniedError('access denied', { cause: error }));
      expect(toPortError(error, 'plan-1')).toMatchObject({ code: 'EVENT_STORE.ACCESS_DENIED' });
    });

    it.each([
      ['deleted', clientErrors.streamDeleted('plan-1')],
      ['tombstoned', Object.assign(new Error('tombstoned'), { type: ErrorType.STREAM_TOMBSTONED })],
    ])('maps a %s stream to StreamDeletedError naming the stream', (_what, error) => {
      const mapped = toPortError(error, 'plan-1');
      expect(mapped).toBeInstanceOf(StreamDeletedError);
      expect(mapped).toMatchObject({ streamId: 'plan-1', code: 'EVENT_STORE.STREAM_DELETED', cause: error });
    });

    it('recognises client errors by their type tag, so another copy of the client package still maps', () => {
      const foreign = Object.assign(new Error('no leader'), { type: 'not-leader' });
      expect(toPortError(foreign, 'plan-1')).toBeInstanceOf(EventStoreUnavailableError);
    });

    it('leaves errors the port has no name for as they are', () => {
      const wrongVersion = new ClientWrongVersion(undefined, { streamName: 'plan-1', expected: 1n, current: 2n });
      const plain = new Error('boom');
      expect(toPortError(wrongVersion, 'plan-1')).toBe(wrongVersion);
      expect(toPortError(plain, 'plan-1')).toBe(plain);
      expect(toPortError('not an error', 'plan-1')).toBe('not an error');
    });
  });
});
