import { postgresUrl } from '@doorbraak/testing';
import { startApi } from './ledger-harness';
import { describePlansApi } from './plans-api.behaviour';

describe('plans over HTTP on PostgreSQL', () => {
  describePlansApi(() => startApi({ databaseUrl: postgresUrl() }));
});
