import type { ArgumentsHost } from '@nestjs/common';
import { EventStoreAccessDeniedError, EventStoreUnavailableError, StreamDeletedError, WrongExpectedVersionError } from '@doorbraak/event-store';
import type { Logger } from '@doorbraak/logging';
import { ProblemDetailsFilter } from './problem-details.filter';

/** Runs the filter on one error and returns what it would send. */
function answer(error: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: Record<string, unknown> } = { headers: {} };
  const reply = {
    status: (s: number) => ((sent.status = s), reply),
    header: (k: string, v: string) => ((sent.headers[k] = v), reply),
    send: (b: Record<string, unknown>) => ((sent.body = b), reply),
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ url: '/v1/plans/x', id: 'corr-1', headers: {} }), getResponse: () => reply }) } as unknown as ArgumentsHost;
  const errors: unknown[] = [];
  new ProblemDetailsFilter({ error: (o: unknown) => errors.push(o) } as unknown as Logger).catch(error, host);
  return { ...sent, logged: errors.length };
}

describe('errors of the event store as problems', () => {
  it('asks to retry when the store is unavailable (503, Retry-After)', () => {
    const sent = answer(new EventStoreUnavailableError('no leader'));
    expect(sent).toMatchObject({ status: 503, headers: { 'retry-after': '1', 'content-type': 'application/problem+json' }, body: { code: 'EVENT_STORE.UNAVAILABLE' }, logged: 1 });
  });

  it('answers a stream deleted outside the ledger with 410', () => {
    expect(answer(new StreamDeletedError('plan-1'))).toMatchObject({ status: 410, body: { code: 'EVENT_STORE.STREAM_DELETED' } });
  });

  it("hides the store's refusal of the ledger's own credentials behind a 500 and logs it", () => {
    const sent = answer(new EventStoreAccessDeniedError('no $admins'));
    expect(sent).toMatchObject({ status: 500, body: { title: 'Internal Server Error' }, logged: 1 });
    expect(JSON.stringify(sent.body)).not.toContain('$admins');
  });

  it('answers a stale version with 412', () => {
    expect(answer(new WrongExpectedVersionError('plan-1', 3n, 4n))).toMatchObject({ status: 412, body: { detail: 'current version is 4' } });
  });
});
