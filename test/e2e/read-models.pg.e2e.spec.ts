import { postgresUrl } from '@doorbraak/testing';
import { startApi } from './ledger-harness';
import { describeReadModels } from './read-models.behaviour';

describe('read models on PostgreSQL', () => {
  describeReadModels(() => startApi({ databaseUrl: postgresUrl() }));
});
