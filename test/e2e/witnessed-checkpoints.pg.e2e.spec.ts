import { postgresUrl } from '@doorbraak/testing';
import { startApi } from './ledger-harness';
import { describeWitnessedCheckpoints } from './witnessed-checkpoints.behaviour';

describe('witnessed checkpoints on PostgreSQL', () => {
  describeWitnessedCheckpoints((env) => startApi({ databaseUrl: postgresUrl(), env }));
});
