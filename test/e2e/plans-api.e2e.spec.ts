import { startApi } from './ledger-harness';
import { describePlansApi } from './plans-api.behaviour';

describe('plans over HTTP on the embedded store', () => {
  describePlansApi(() => startApi());
});
