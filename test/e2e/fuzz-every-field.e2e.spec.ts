import { describeFuzzEveryField } from './fuzz-every-field.behaviour';
import { startApi } from './ledger-harness';

describe('every field of every operation, fuzzed, on the embedded store', () => {
  describeFuzzEveryField(() => startApi({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '1000000' } }));
});
