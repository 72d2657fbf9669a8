import { describeApiFoundation } from './api-foundation.behaviour';
import { startApi } from './ledger-harness';

describe('the API on the embedded store', () => {
  describeApiFoundation(() => startApi());
});
