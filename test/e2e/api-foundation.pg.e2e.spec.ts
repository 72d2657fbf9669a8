import { postgresUrl } from '@doorbraak/testing';
import { describeApiFoundation } from './api-foundation.behaviour';
import { startApi } from './ledger-harness';

describe('the API on PostgreSQL', () => {
  describeApiFoundation(() => startApi({ databaseUrl: postgresUrl() }));
});
