import { connectPostgres } from '@doorbraak/sql';
import { postgresUrl } from '@doorbraak/testing';
import { describeProjectionRuntime } from './projection-runtime.behaviour';

describe('ProjectionRuntime on PostgreSQL', () => {
  describeProjectionRuntime(async () => connectPostgres({ connectionString: postgresUrl() }));
});
