import { postgresUrl } from '@doorbraak/testing';
import { describeFuzzEveryField } from './fuzz-every-field.behaviour';
import { startApi } from './ledger-harness';

describe('every field of every operation, fuzzed, on PostgreSQL', () => {
  describeFuzzEveryField(() => startApi({ databaseUrl: postgresUrl(), env: { LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' } }));
});
